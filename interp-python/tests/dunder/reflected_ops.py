class Money:
    def __init__(self, c):
        self.c = c
    def __add__(self, o):
        if isinstance(o, int):
            return Money(self.c + o)
        if isinstance(o, Money):
            return Money(self.c + o.c)
        return NotImplemented
    __radd__ = __add__
    def __rsub__(self, o):
        return Money(o - self.c)
    def __repr__(self):
        return f"Money({self.c})"
print(Money(5) + 3, 3 + Money(5), 10 - Money(4), Money(1) + Money(2))
print(sum([Money(1), Money(2), Money(3)]))
class A:
    pass
class B:
    pass
for thunk, label in [(lambda: A() + B(), "+"), (lambda: A() * 2, "*"), (lambda: 1 - A(), "-")]:
    try:
        thunk()
    except TypeError as e:
        print(label, "TypeError:", e)
try:
    Money(1) + "x"
except TypeError as e:
    print("TypeError:", e)
