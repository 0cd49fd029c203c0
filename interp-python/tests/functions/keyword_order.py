def f(a, b, c):
    return f"a={a} b={b} c={c}"
print(f(1, 2, 3), f(c=3, b=2, a=1), f(1, c=3, b=2))
def log(*args, sep=" ", end="."):
    return sep.join(str(a) for a in args) + end
print(log(1, 2, 3), log("x", "y", sep="-"), log(end="!"))
calls = []
def tracked(v):
    calls.append(v)
    return v
def g(a, b, c):
    return a + b + c
print(g(tracked(1), c=tracked(3), b=tracked(2)), calls)
def kw_all(**kw):
    return list(kw)
print(kw_all(z=1, a=2, m=3))
