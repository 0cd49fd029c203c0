def add(a: int, b: int = 0) -> int:
    "Return the sum."
    return a + b
print(add(2, 3), add("x", "y"), add.__doc__)
print(add.__annotations__)
def untyped(a, b):
    return a * b
print(untyped.__annotations__)
x: int = 5
y: str
print(x, "y" in dir(), __annotations__)
def f(*args: int, **kw: str) -> None:
    return None
print(sorted(f.__annotations__))
