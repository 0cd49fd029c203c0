it = iter([10, 20, 30])
print(next(it), next(it), next(it), next(it, "exhausted"))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", e.args)
d = {"a": 1, "b": 2}
di = iter(d)
print(next(di), list(di))
s = iter({7})
print(next(s), next(s, None))
ri = iter(range(3))
print(list(ri), list(ri))
class Five:
    def __iter__(self):
        return iter([5, 5])
print(list(Five()), next(iter(Five())))
calls = iter([1, 2, 3].pop, 1)
print(list(calls))
