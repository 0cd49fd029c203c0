def replace_with_const(fn):
    return 42
@replace_with_const
def f():
    return "never"
print(f, type(f).__name__)
def to_list(fn):
    return list(fn())
@to_list
def items():
    yield 1
    yield 2
print(items)
def property_like(fn):
    return property(fn)
class C:
    @property_like
    def value(self):
        return "computed"
print(C().value)
def identity(fn):
    return fn
@identity
def g(a):
    return a + 1
print(g(1), g.__name__)
