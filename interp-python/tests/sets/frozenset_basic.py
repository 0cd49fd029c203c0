f = frozenset([3, 1, 2, 3])
print(sorted(f), len(f), 2 in f, type(f).__name__)
try:
    f.add(4)
except AttributeError as e:
    print("AttributeError:", e)
g = f | {4}
print(type(g).__name__, sorted(g), type({4} | f).__name__)
d = {f: "frozen"}
print(d[frozenset({1, 2, 3})])
nested = {frozenset({1}), frozenset({1}), frozenset({2})}
print(len(nested))
print(frozenset() == set(), frozenset({1}) == {1}, hash(frozenset({1, 2})) == hash(frozenset({2, 1})))
try:
    {{1}}
except TypeError as e:
    print("TypeError:", e)
