x = "outer"
lst = [x for x in range(3)]
print(x, lst)
print([i for i in range(2)], "i" in dir())
n = 10
print([n * k for k in range(3)])
funcs = [lambda: k for k in range(3)]
print([f() for f in funcs])
class C:
    base = 5
    doubled = [v * 2 for v in range(3)]
    try:
        bad = [base + v for v in range(2)]
    except NameError as e:
        err = str(e)
print(C.doubled, C.err)
print([y for y in [1, 2] if (z := y * 10) > 10], z)
