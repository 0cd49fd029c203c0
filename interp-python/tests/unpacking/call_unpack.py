def f(a, b, c=0, *args, **kw):
    return (a, b, c, args, kw)
nums = [1, 2, 3, 4]
print(f(*nums))
print(f(*nums[:2]))
opts = {"c": 30, "z": 26}
print(f(1, 2, **opts))
print(f(*[1], *[2], **{"x": 1}, **{"y": 2}))
print(f(*"ab", *range(3)))
print(max(*[3, 9, 2]), print(*["a", "b"], sep="-"))
try:
    f(1, 2, **{"a": 5})
except TypeError as e:
    print("TypeError:", e)
try:
    f(**{"b": 1}, **{"b": 2})
except TypeError as e:
    print("TypeError raised:", "multiple values" in str(e))
