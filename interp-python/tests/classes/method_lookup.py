# Method calls (LOAD_METHOD/CALL_METHOD) and positional calls: instance attributes shadow
# methods, __getattribute__ overrides, inherited methods, defaults, *args, closures,
# static/class methods and properties called through instances, recursion.
class Base:
    def hello(self, who="world"):
        return "hello " + who
    def twice(self, x):
        return self.once(x) * 2
    def once(self, x):
        return x + 1

class Child(Base):
    def once(self, x):
        return x + 10
    @staticmethod
    def s(a, b):
        return a - b
    @classmethod
    def c(cls, a):
        return cls.__name__ + str(a)
    @property
    def p(self):
        return lambda y: y * 3

b, c = Base(), Child()
print(b.hello(), c.hello("you"), b.twice(1), c.twice(1))
print(c.s(5, 2), c.c(7), c.p(4))
c.once = lambda x: -x
print(c.once(5), c.twice(5))
del c.once
print(c.once(5))

class Spy:
    def __getattribute__(self, name):
        if name == "m":
            return lambda *a: ("intercepted", a)
        return object.__getattribute__(self, name)
    def m(self, x):
        return ("real", x)
    def other(self, x):
        return ("other", x)
s = Spy()
print(s.m(1), s.other(2))

class Var:
    def f(self, *args):
        return len(args)
    def g(self, a, b=2, *, c=3):
        return a + b + c
    def h(self, a, b):
        return a * b
v = Var()
print(v.f(), v.f(1, 2, 3), v.g(1), v.g(1, 5), v.g(1, c=0), v.h(3, 4))
try:
    v.h(1)
except TypeError as e:
    print("TypeError:", e)
try:
    v.h(1, 2, 3)
except TypeError as e:
    print("TypeError:", e)

def outer(k):
    def inner(x):
        return x + k
    return inner
add5 = outer(5)
print(add5(1), outer(2)(3))

def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
def plain(a, b, c):
    return (a, b, c)
print(fact(20), plain(1, "two", 3.0))
m1, m2 = b.hello, b.hello
print(m1 == m2, m1 is m2, m1())
print([x.hello() for x in (b, c)])
