s = set(range(5))
total = 0
for x in s:
    total += x
print(total, sum(s), max(s), min(s))
try:
    for x in s:
        s.add(x + 10)
except RuntimeError as e:
    print("RuntimeError:", e)
s2 = {1, 2, 3}
print(sorted(x * x for x in s2), any(x > 2 for x in s2), all(s2))
it = iter({42})
print(next(it), next(it, "end"))
