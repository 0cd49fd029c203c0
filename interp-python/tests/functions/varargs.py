def f(*args, **kwargs):
    return args, kwargs
print(f(), f(1, 2), f(a=1), f(1, b=2, c=3))
def total(first, *rest):
    return first + sum(rest)
print(total(1), total(1, 2, 3, 4))
def describe(name, **info):
    parts = [f"{k}={v}" for k, v in info.items()]
    return name + "(" + ", ".join(parts) + ")"
print(describe("x"), describe("pt", x=1, y=2, label="p"))
def passthrough(*a, **k):
    return f(*a, **k)
print(passthrough(1, 2, z=3))
print(type(f(1)[0]).__name__, type(f(a=1)[1]).__name__)
def count(*args):
    return len(args)
print(count(*range(10)), count(*"abc", *[1]))
