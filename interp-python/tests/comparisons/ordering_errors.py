pairs = [(1, "1"), ("a", None), ([1], (1,)), ({1}, [1]), ({}, {}), (1, [1])]
for a, b in pairs:
    try:
        print(repr(a), repr(b), a < b)
    except TypeError as e:
        print("TypeError:", e)
print([1, 2] == [1, 2], {"a"} < {"a", "b"}, {} == {})
