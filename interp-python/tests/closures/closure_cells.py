def make_pair():
    shared = []
    def push(x):
        shared.append(x)
    def peek():
        return list(shared)
    return push, peek
push, peek = make_pair()
push(1); push(2)
print(peek())
push2, peek2 = make_pair()
push2("x")
print(peek(), peek2())
def outer():
    v = 1
    f = lambda: v
    v = 2
    return f
print(outer()())
def fn_factory(power):
    def f(x):
        return x ** power
    f.__name__ = f"pow{power}"
    return f
fs = [fn_factory(p) for p in range(1, 4)]
print([(f.__name__, f(3)) for f in fs])
