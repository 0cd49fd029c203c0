def f(a, b, *, c, d=4):
    return a, b, c, d
print(f(1, 2, c=3), f(1, b=2, c=3, d=5))
try:
    f(1, 2, 3)
except TypeError as e:
    print("TypeError:", e)
try:
    f(1, 2)
except TypeError as e:
    print("TypeError:", e)
def g(*, only):
    return only
print(g(only="k"))
def h(a, b, /, c):
    return a + b + c
print(h(1, 2, 3), h(1, 2, c=3))
try:
    h(1, b=2, c=3)
except TypeError as e:
    print("TypeError:", e)
def mixed(p, /, q, *, r):
    return (p, q, r)
print(mixed(1, 2, r=3), mixed(1, q=2, r=3))
