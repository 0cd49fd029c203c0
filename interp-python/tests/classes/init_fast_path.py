# Instantiation the interpreter loop does itself (a plain class whose __init__ is a Python
# function taking exactly the arguments) next to what it leaves to the general path.
class A:
    def __init__(self, x, y):
        self.s = x + y


class Bad:
    def __init__(self):
        return 42


class Defaults:
    def __init__(self, x, y=10):
        self.s = x + y


class WithNew:
    def __new__(cls, x):
        o = super().__new__(cls)
        o.made_by = "new"
        return o

    def __init__(self, x):
        self.x = x


class L(list):
    def __init__(self, n):
        super().__init__(range(n))


class Boom:
    def __init__(self, v):
        if v < 0:
            raise ValueError("negative")
        self.v = v


class NoInit:
    pass


class Sub(A):
    pass


print(A(1, 2).s, Defaults(1).s, Defaults(1, y=2).s, WithNew(5).made_by, L(3), Sub(2, 3).s)
try:
    Bad()
except TypeError as e:
    print("TypeError:", e)
try:
    NoInit(1)
except TypeError as e:
    print("TypeError:", e)
try:
    A(1)
except TypeError as e:
    print("TypeError:", e)
try:
    Boom(-1)
except ValueError as e:
    print("ValueError:", e)
A.__init__ = lambda self, x, y: setattr(self, "s", x * y)
print(A(3, 4).s)
total = 0
for i in range(30000):
    total += A(i, 1).s + Boom(i).v + Sub(1, 1).s
print(total)
Boom(-2)
