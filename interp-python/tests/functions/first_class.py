def square(x):
    return x * x
def apply(f, v):
    return f(v)
ops = {"sq": square, "neg": lambda x: -x, "abs": abs}
for name, fn in ops.items():
    print(name, apply(fn, -4))
print(square.__name__, (lambda: 0).__name__, abs.__name__)
def compose(*fs):
    def run(x):
        for f in reversed(fs):
            x = f(x)
        return x
    return run
inc = lambda x: x + 1
print(compose(square, inc)(3), compose(inc, square)(3), compose()(7))
funcs = [square, inc, str]
print([f(5) for f in funcs])
alias = square
print(alias is square, alias(9), callable(alias), callable(5))
