first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "abcd"
print(init, last)
a, *mid, b = range(6)
print(a, mid, b)
a, *mid, b = [1, 2]
print(a, mid, b)
(x, *y), z = [1, 2, 3], 4
print(x, y, z)
head, *tail = (9,)
print(head, tail)
print([*range(3), *"ab", *(7,)])
print((*[1, 2], 3), {*[1, 1, 2]}, {**{"a": 1}, "b": 2})
