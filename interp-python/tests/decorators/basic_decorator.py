def shout(fn):
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs).upper() + "!"
    return wrapper
@shout
def greet(name):
    return "hello " + name
print(greet("world"))
print(greet.__name__)
def log_calls(fn):
    def wrapper(*a):
        print("calling", fn.__name__, a)
        r = fn(*a)
        print("returned", r)
        return r
    return wrapper
@log_calls
def add(a, b):
    return a + b
add(2, 3)
def plain(x):
    return x
decorated = shout(lambda: "manual")
print(decorated())
