s = "héllo wörld €"
u = s.encode("utf-8")
print(u, len(s), len(u))
print(u.decode("utf-8") == s)
print(s.encode("latin-1", errors="replace"), s.encode("ascii", "ignore"), s.encode("ascii", "replace"))
try:
    s.encode("ascii")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError:", e)
try:
    b"\xff\xfe".decode("utf-8")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
print(b"ab\xffcd".decode("utf-8", "replace"), b"ab\xffcd".decode("utf-8", "ignore"))
print("\U0001F600".encode("utf-8"), "z".encode("utf-16-le"), b"\xe9".decode("latin-1"))
print(isinstance(UnicodeDecodeError("utf-8", b"", 0, 1, "x"), ValueError))
