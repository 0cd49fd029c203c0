class V:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"V({self.x!r}, {self.y!r})"
    def __str__(self):
        return f"<{self.x}, {self.y}>"
    def __format__(self, spec):
        if not spec:
            return str(self)
        return "<" + ", ".join(format(c, spec) for c in (self.x, self.y)) + ">"
v = V(1.5, -2)
print(v, repr(v), str(v))
print(f"{v}", f"{v!r}", f"{v:.2f}", f"{v:>5}")
print("{}".format(v), "{:+}".format(v), "%s|%r" % (v, v))
print([v], (v, v))
class Plain:
    pass
print(format(Plain(), "") .startswith("<__main__.Plain object"))
try:
    format(Plain(), "x")
except TypeError as e:
    print("TypeError:", e)
