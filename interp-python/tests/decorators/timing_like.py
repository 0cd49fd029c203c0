calls = []
def trace(label):
    def deco(fn):
        def wrapper(*args, **kwargs):
            calls.append(f"enter {label}")
            try:
                return fn(*args, **kwargs)
            finally:
                calls.append(f"exit {label}")
        return wrapper
    return deco
@trace("outer")
def outer(n):
    return inner(n) + 1
@trace("inner")
def inner(n):
    if n < 0:
        raise ValueError("neg")
    return n * 2
print(outer(5))
try:
    outer(-1)
except ValueError as e:
    print("caught", e)
print(calls)
