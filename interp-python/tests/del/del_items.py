lst = list(range(10))
del lst[0]
del lst[-1]
print(lst)
del lst[1:3]
print(lst)
del lst[::2]
print(lst)
d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d)
nested = {"x": [1, 2, {"y": 3, "z": 4}]}
del nested["x"][2]["y"]
del nested["x"][0]
print(nested)
lst2 = [1, 2, 3]
del lst2[:]
print(lst2)
m = [[1, 2], [3, 4]]
del m[0][1], m[1][0]
print(m)
