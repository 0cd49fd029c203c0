def sub(n):
    total = 0
    for i in range(n):
        x = yield i
        total += x or 0
    return total
def delegator():
    t1 = yield from sub(2)
    t2 = yield from sub(3)
    return t1, t2
d = delegator()
out = [next(d)]
try:
    while True:
        out.append(d.send(10))
except StopIteration as e:
    print("result", e.value)
print(out)
def accumulate():
    results = []
    while True:
        r = yield from sub(2)
        results.append(r)
        if len(results) == 2:
            return results
acc = accumulate()
vals = [next(acc)]
try:
    for v in [1, 2, 3, 4]:
        vals.append(acc.send(v))
except StopIteration as e:
    print("acc", e.value, vals)
