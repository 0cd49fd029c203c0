class P:
    def __init__(self, x):
        self.x = x
p = P(1)
print(p.__dict__, vars(p))
p.y = 2
p.__dict__["z"] = 3
print(p.z, sorted(vars(p)))
del p.x
print(hasattr(p, "x"), vars(p))
print(P.__name__, p.__class__.__name__, p.__class__ is P)
class Slotted:
    __slots__ = ("a", "b")
    def __init__(self):
        self.a = 1
s = Slotted()
try:
    s.c = 3
except AttributeError as e:
    print("AttributeError:", e)
try:
    s.b
except AttributeError as e:
    print("AttributeError:", e)
print(s.a, hasattr(s, "__dict__"))
