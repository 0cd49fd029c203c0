# Arithmetic the interpreter loop does itself (ints and floats, mixed), next to the cases it
# leaves to the general path: overflow into big ints, division by zero, huge ints with floats,
# augmented assignment on attributes, and subclasses of int/float.
big = 2 ** 62
print(big + big, big * 4, -big - big - big, 3 * 7, 10 - 25)
print(1.5 + 2, 2 + 1.5, 7 - 0.25, 0.25 - 7, 3 * 0.5, 0.5 * 3, 7 / 2.0, 7.0 / 2, 1 / 4)
print(2 ** 53 + 1 + 0.0, (2 ** 53 + 1) * 1.0, 9007199254740993 - 0.5)
try:
    1.0 / 0.0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1.0 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(10 ** 400 + 1.0)
except OverflowError as e:
    print("OverflowError:", e)
print(float("inf") - float("inf"), -0.0 + 0, 0 * -1.0, -0.0 - 0.0)


class P:
    def __init__(self):
        self.x = 1
        self.y = 2.5


p = P()
for i in range(5):
    p.x += i
    p.y -= i * 0.5
    p.x *= 3
print(p.x, p.y)


class I(int):
    def __add__(self, other):
        return "I.__add__"


class F(float):
    def __sub__(self, other):
        return "F.__sub__"


print(I(1) + 2, F(1.5) - 1, 2 + I(1), True + True, True * 2.5)
acc = 0
for i in range(200000):
    acc = acc + i * 3 - (i - 1)
print(acc)
t = 0.0
for i in range(100000):
    t = t * 0.5 + i / 3
print(t)
