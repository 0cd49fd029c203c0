# obj.__dict__, vars(obj), globals(), a module's __dict__ and a class body's locals() are live
# views of the namespace they show.
import sys
class P:
    def __init__(self):
        self.a = 1
    def total(self):
        return sum(v for v in vars(self).values() if isinstance(v, int))
p = P()
d = p.__dict__
d["b"] = 2
p.c = 3
print(p.b, d, len(d), bool(d), "c" in d, "zz" in d, 5 in d, d.get("a"), d.get("q", 0))
print(list(d), list(d.keys()), list(d.values()), list(d.items()), list(reversed(d)))
del p.a
print(d, p.total(), hasattr(p, "a"))
d.update(x=5, y=6)
d.update({"w": 0})
print(p.x, p.y, p.w, d.pop("x"), hasattr(p, "x"), d.setdefault("z", 9), p.z, d.pop("nope", "dflt"))
print(d.popitem(), d == {"b": 2, "c": 3, "y": 6, "w": 0}, d != {}, dict(d), {**d}, d.copy())
setattr(p, "s", "t")
delattr(p, "b")
print(vars(p), sorted(d), "s" in vars(p))
def kw(**k):
    return sorted(k.items())
print(kw(**vars(p)))
try:
    for k in vars(p):
        p.new = 1
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    d["missing"]
except KeyError as e:
    print("KeyError:", e)
try:
    del d["missing"]
except KeyError as e:
    print("KeyError:", e)
try:
    d[[1]]
except TypeError as e:
    print("TypeError:", e)
d.clear()
print(vars(p), p.__dict__, hasattr(p, "c"))
p.__dict__ = {"q": 1, "r": 2}
print(p.q, vars(p), p.__dict__)
q = P()
q.__dict__ = p.__dict__
print(q.q, q.total())
try:
    p.__dict__ = 5
except TypeError as e:
    print("TypeError:", e)
def f():
    pass
f.tag = "x"
f.__dict__["more"] = 1
print(f.more, vars(f)["tag"], "more" in f.__dict__)
g = globals()
for name in ["n1", "n2"]:
    g[name] = name * 2
print(n1, n2, "n1" in g, g["P"] is P)
del g["n1"]
print("n1" in globals(), "n2" in globals())
def setg():
    globals()["from_func"] = 10
setg()
print(from_func)
mod = sys.modules[__name__]
mod.__dict__["via_module"] = 11
print(via_module, mod.__dict__["n2"], "via_module" in vars(mod))
class C:
    x = 1
    locals()["y"] = x + 1
print(C.y)
print(locals()["P"] is P, "C" in locals(), "vars" in dir(), "P" in dir(), "P" in vars())
try:
    vars(object())
except TypeError as e:
    print("TypeError:", e)
class S:
    __slots__ = ("a",)
print(hasattr(S(), "__dict__"))
