"""A helper module used by several tests in this directory."""
print("helper_mod loaded, __name__ =", __name__)
GREETING = "hello"
_private = "hidden"
calls = 0
def greet(name):
    global calls
    calls += 1
    return f"{GREETING}, {name}"
def add(a, b=1):
    return a + b
class Counter:
    def __init__(self):
        self.n = 0
    def tick(self):
        self.n += 1
        return self.n
