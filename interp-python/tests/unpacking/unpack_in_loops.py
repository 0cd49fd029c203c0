pairs = [(1, "one"), (2, "two"), (3, "three")]
for num, word in pairs:
    print(num, word)
d = {"a": [1, 2], "b": [3, 4]}
for key, (first, second) in d.items():
    print(key, first + second)
for i, (a, *b) in enumerate([[1, 2, 3], [4], [5, 6]]):
    print(i, a, b)
points = [(1, 2, 3), (4, 5, 6)]
print([x + y + z for x, y, z in points])
nums, letters = zip(*pairs)
print(nums, letters)
