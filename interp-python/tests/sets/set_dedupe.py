data = [5, 3, 5, 1, 3, 9, 1, 1]
print(sorted(set(data)))
seen = set()
ordered = []
for x in data:
    if x not in seen:
        seen.add(x)
        ordered.append(x)
print(ordered)
print(list(dict.fromkeys(data)))
pairs = [(1, 2), (2, 1), (1, 2)]
print(sorted(set(pairs)), len({frozenset(p) for p in pairs}))
print(len(set([1, 1.0, True])), len({0, 0.0, False, -0.0}))
