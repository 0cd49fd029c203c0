a, b = {1, 2}, {1, 2, 3}
print(a < b, a <= b, b > a, b >= a, a == b, a != b)
print(a < a, a <= a, {1, 4} < b, {1, 4} > b)
print(set() < a, set() <= set(), frozenset({1, 2}) == a)
sets = [{1, 2, 3}, {1}, {1, 2}, set()]
print([len(s) for s in sorted(sets, key=len)])
print(sorted(map(sorted, sets)))
try:
    {1} < [1]
except TypeError as e:
    print("TypeError:", e)
