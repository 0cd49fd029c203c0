a = {"x": 1, "y": [1, 2]}
b = {"y": [1, 2], "x": 1}
print(a == b, a != b, a is b)
print({1: "a"} == {1.0: "a"}, {} == {}, {"a": 1} == {"a": 1.0})
try:
    a < b
except TypeError as e:
    print("TypeError:", e)
c = dict(a)
c["y"].append(3)
print(a, c, a == c)
print({1: 2}.items() == {1: 2}.items(), {"k": None} == {"k": None})
