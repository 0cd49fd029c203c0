print([], [1], [1, 2], [[]], [None, True, 1.5, "s", b"b"])
a = [1, 2]
a.append(a)
print(a)
print(repr(["quote'", 'dq"']), str([1.0, -0.0]))
print(list((1, 2)), list({"a": 1}), list(range(0)), list("")) 
print(len(str(list(range(100)))))
