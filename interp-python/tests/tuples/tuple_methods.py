t = (3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5)
print(t.count(5), t.count(7), t.index(1), t.index(5, 5), t.index(5, 9))
try:
    t.index(42)
except ValueError as e:
    print("ValueError:", e)
print(sorted(t), tuple(sorted(t)), tuple(reversed(t))[:3])
print(min(t), max(t), sum(t), len(t))
print(t[::2], t[::-3], t[100:], t[-2:])
a, *rest = t
print(a, rest, type(rest).__name__)
print(tuple(x * 2 for x in t if x > 4))
