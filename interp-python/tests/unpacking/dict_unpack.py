def show(**kw):
    return sorted(kw.items())
base = {"a": 1, "b": 2}
extra = {"b": 20, "c": 3}
print({**base, **extra})
print({**extra, **base})
print(show(**base, c=5))
merged = dict(base, **extra)
print(merged)
a, b = base
print(a, b)
(k1, v1), (k2, v2) = base.items()
print(k1, v1, k2, v2)
print([*base], [*base.values()])
