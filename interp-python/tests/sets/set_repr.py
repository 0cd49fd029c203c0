print(set(), {1}, {1, 2, 3}, frozenset(), frozenset({5}))
print(repr({"only"}), str({(1, 2)}))
print(sorted({-1, -5, 3}), sorted({2.5, 1, -0.5}))
print(repr(set([7])), len(repr({1, 2})))
