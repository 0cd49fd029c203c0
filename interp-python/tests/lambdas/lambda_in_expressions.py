nums = [1, 2, 3, 4]
print(list(map(lambda x, y: x * y, nums, [10, 20, 30])))
print((lambda: [i for i in range(3)])())
print({k: (lambda v: v * 2)(v) for k, v in zip("ab", nums)})
fns = {n: (lambda x, n=n: x ** n) for n in range(3)}
print([fns[n](2) for n in range(3)])
print((lambda x: x if x else "falsy")(0), (lambda *a: len(a))(*nums))
from_lambda = lambda: (yield_value for yield_value in range(2))
print(list(from_lambda()))
