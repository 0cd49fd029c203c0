a = [1, 2]
b = a
c = list(a)
print(id(a) == id(b), id(a) == id(c), id(a) != id(c))
print(type(id(a)).__name__, id(None) == id(None))
objs = [object() for _ in range(5)]
print(len({id(o) for o in objs}))
def f():
    return a
print(id(f()) == id(a))
x = "interned"
print(id(x) == id(x))
class K:
    pass
k = K()
ids = {id(k), id(k)}
print(len(ids))
