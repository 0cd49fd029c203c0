def g():
    x = yield
    print("x =", x)
    y = yield x * 2
    print("y =", y)
    z = (yield) or "default"
    print("z =", z)
gen = g()
print(next(gen))
print(gen.send(21))
print(gen.send("why"))
try:
    gen.send(None)
except StopIteration:
    print("finished")
def nothing_yielded():
    yield
print(list(nothing_yielded()))
def paren():
    v = yield 1, 2
    yield v
p = paren()
print(next(p), p.send([3]))
