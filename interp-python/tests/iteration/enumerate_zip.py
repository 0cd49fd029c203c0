print(list(enumerate("abc")), list(enumerate("abc", 10)), list(enumerate([], 5)))
print(list(zip([1, 2, 3], "ab", (True, False, None))))
print(list(zip()), list(zip([1, 2])))
pairs = [(1, "a"), (2, "b"), (3, "c")]
nums, chars = zip(*pairs)
print(nums, chars)
try:
    list(zip([1, 2], [1], strict=True))
except ValueError as e:
    print("ValueError:", e)
print(list(zip([1, 2], [3, 4], strict=True)))
print(dict(enumerate("xy")), {c: i for i, c in enumerate("hey")})
for i, (a, b) in enumerate(zip("pq", "rs"), start=1):
    print(i, a, b)
