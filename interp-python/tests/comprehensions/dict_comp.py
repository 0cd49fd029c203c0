print({x: x ** 2 for x in range(5)})
words = ["apple", "bob", "cat", "apple"]
print({w: len(w) for w in words})
print({k: v for k, v in zip("abc", [1, 2, 3]) if v != 2})
d = {"a": 1, "b": 2}
print({v: k for k, v in d.items()})
print({k.upper(): [v] * v for k, v in d.items()})
print({i % 3: i for i in range(10)})
print({(i, j): i * j for i in range(2) for j in range(2)})
print({w[0]: w for w in sorted(words)})
