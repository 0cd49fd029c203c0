# Instance attributes in shape mode (shared layouts) and their way out to an attribute dict:
# different orders, many attributes, shadowing class attributes and methods, deletion,
# __dict__ views taken after attributes were set, vars/dir, __class__ assignment, __slots__,
# object.__setattr__/__delattr__, and a hot loop mixing shapes for the JIT.
class P:
    kind = "class attr"

    def method(self):
        return "method"


a, b = P(), P()
a.x, a.y = 1, 2
b.y, b.x = 3, 4
print(a.x, a.y, b.x, b.y, vars(a), vars(b), a.kind)
for i in range(20):
    setattr(a, f"f{i}", i * i)
print(a.f0, a.f19, getattr(a, "f7"), hasattr(a, "f20"), len(vars(a)))
a.kind = "shadowed"
a.method = lambda: "instance function"
print(a.kind, P.kind, a.method(), b.method(), b.kind)
del a.kind
print(a.kind, "kind" in vars(a))
d = b.__dict__
d["z"] = 5
b.w = 6
print(b.z, d["w"], sorted(d), sorted(vars(b)))
del b.x
print(hasattr(b, "x"), "x" in d, b.__dict__ == {"y": 3, "z": 5, "w": 6})
c = P()
c.q = 1
print(sorted(n for n in dir(c) if not n.startswith("__")))
c.q += 10
object.__setattr__(c, "r", 2)
object.__delattr__(c, "q")
print(vars(c))
try:
    del c.nope
except AttributeError as e:
    print("AttributeError:", e)


class Q:
    def method(self):
        return "Q"


e = P()
e.v = 1
e.__class__ = Q
print(e.method(), e.v, type(e).__name__)


class S:
    __slots__ = ("s1", "s2")


s = S()
s.s1 = 1
try:
    s.other = 2
except AttributeError as err:
    print("AttributeError:", err)
print(s.s1, hasattr(s, "__dict__"))


class Point:
    def __init__(self, x, y, extra=False):
        self.x = x
        if extra:
            self.tag = "t"
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)


total = 0
pts = [Point(i, -i, i % 3 == 0) for i in range(3000)]
for _ in range(3):
    for p in pts:
        total += p.norm1() + (len(p.tag) if hasattr(p, "tag") else 0)
        p.x += 1
print(total, pts[3].tag, vars(pts[4]), vars(pts[3]))
