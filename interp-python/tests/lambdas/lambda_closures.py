def multiplier(n):
    return lambda x: x * n
double, triple = multiplier(2), multiplier(3)
print(double(5), triple(5))
ops = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b if b else None,
}
for sym in "+-*/":
    print(sym, ops[sym](12, 4), ops[sym](3, 0) if sym == "/" else "")
curry = lambda a: lambda b: lambda c: a * 100 + b * 10 + c
print(curry(1)(2)(3))
ls = [lambda i=i: i ** 2 for i in range(5)]
print([l() for l in ls])
