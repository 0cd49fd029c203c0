class OnlyRepr:
    def __repr__(self):
        return "OnlyRepr()"
class OnlyStr:
    def __str__(self):
        return "only-str"
class Both:
    def __repr__(self):
        return "Both<repr>"
    def __str__(self):
        return "Both<str>"
r, s, b = OnlyRepr(), OnlyStr(), Both()
print(r, str(r), repr(r))
print(s, str(s), repr(s).startswith("<__main__.OnlyStr object"))
print(b, str(b), repr(b))
print([r, b], (b,), {"k": b}, f"{b} {b!r}", "%s %r" % (b, b))
class BadRepr:
    def __repr__(self):
        return 42
try:
    repr(BadRepr())
except TypeError as e:
    print("TypeError:", e)
