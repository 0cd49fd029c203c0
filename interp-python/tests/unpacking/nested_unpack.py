data = [("alice", (30, "paris")), ("bob", (25, "rome"))]
for name, (age, city) in data:
    print(name, age, city)
((a, b), (c, d)) = ((1, 2), (3, 4))
print(a + b + c + d)
[x, [y, [z]]] = [1, [2, [3]]]
print(x, y, z)
(first, *_), *others = "ab", "cd", "ef"
print(first, others)
record = ("id", 1, 2, 3, "end")
tag, *values, end = record
print(tag, values, end, sum(values))
