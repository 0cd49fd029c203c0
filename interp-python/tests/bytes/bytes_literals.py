b = b"abc"
print(b, len(b), b[0], b[-1], type(b[0]).__name__)
print(bytes([65, 66, 67]), bytes(3), bytes(), bytes(range(5)))
print(bytes("é", "utf-8"), bytes("hi", "ascii"))
print(b"\x00\x7f\x80\xff", b"tab\t nl\n", b'q"uote', b"it's", b"\\")
print(rb"\n raw", len(rb"\n"), b"con" b"cat")
print(repr(b"'\""), list(b"AZ"), b"" == bytes())
print(b"A"[0] == 65, b"abc" == "abc", b"abc" == b"abc")
