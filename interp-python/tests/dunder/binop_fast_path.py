# The dispatch loop calls a plain instance's own __op__ method directly when the other operand
# cannot take precedence (same class, or a non-object); everything else takes the general
# protocol. Both must agree with CPython, also inside hot loops.


class V:
    def __init__(self, x):
        self.x = x

    def __add__(self, o):
        if isinstance(o, V):
            return V(self.x + o.x)
        if isinstance(o, int):
            return V(self.x + o)
        return NotImplemented

    def __sub__(self, o, scale=1):
        return V(self.x - o.x * scale)

    def __mul__(self, k):
        return V(self.x * k)

    def __radd__(self, o):
        return V(o * 1000 + self.x)

    def __repr__(self):
        return "V(%r)" % (self.x,)


class W(V):
    def __radd__(self, o):
        return "W.__radd__ first"


class Odd:
    def __init__(self, x):
        self.x = x

    def __add__(self, o):
        return NotImplemented

    def __mul__(self, o):
        raise ValueError("no mul for %r" % (o,))


class Sum:
    def __init__(self, x):
        self.x = x

    def __add__(self, o):
        return Sum(self.x + o.x)


def hot(n):
    acc = V(0)
    for i in range(n):
        acc = acc + V(i)
        acc = acc + 1
        acc = acc - V(1)
        acc = acc * 1
    return acc


print(hot(3000))
print(V(1) + V(2), V(1) + 5, 5 + V(1), V(7) - V(2), V(3) * 4)
print(V(1) + W(2))
print(V(1) - W(2))
print(V(2) + 2.5 if False else "skip")
try:
    print(V(1) + "s")
except TypeError as e:
    print("TypeError:", e)
try:
    print(Odd(1) + Odd(2))
except TypeError as e:
    print("TypeError:", e)
try:
    Odd(1) * 3
except ValueError as e:
    print("ValueError:", e)
total = Sum(0)
for i in range(2000):
    if i == 1500:
        Sum.__add__ = lambda self, o: Sum(self.x - o.x)
    total = total + Sum(1)
print(total.x)


def add_other(self, o):
    return "patched"


for i in range(3):
    if i == 2:
        V.__add__ = add_other
    print(V(1) + V(1))
