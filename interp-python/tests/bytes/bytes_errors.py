def attempt(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__ + ":", e)
attempt("range", lambda: bytes([256]))
attempt("neg", lambda: bytes([-1]))
attempt("concat", lambda: b"a" + "a")
attempt("concat2", lambda: "a" + b"a")
attempt("nocodec", lambda: bytes("x"))
def setitem():
    b = b"abc"
    b[0] = 1
attempt("setitem", setitem)
attempt("index", lambda: b"abc"[5])
attempt("in", lambda: 300 in b"abc")
attempt("fromhex", lambda: bytes.fromhex("zz"))
attempt("ok", lambda: bytes(b"copy"))
