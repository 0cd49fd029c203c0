class C:
    def __init__(self, v):
        self.v = v
    def get(self):
        return self.v
c = C(5)
m = c.get
print(m(), C.get(c), m.__self__ is c, m.__func__ is C.get)
c.v = 6
print(m())
methods = [C(i).get for i in range(3)]
print([f() for f in methods])
c.get = lambda: "instance attr wins"
print(c.get(), C.get(c))
def outside(self):
    return self.v * 100
C.extra = outside
print(C(2).extra())
print(type(m).__name__, type(C.get).__name__)
