lst = list(range(10))
lst[2:5] = ["a", "b"]
print(lst)
lst[:0] = [-2, -1]
print(lst)
lst[len(lst):] = [100]
print(lst)
lst[::2] = [0] * len(lst[::2])
print(lst)
del lst[::3]
print(lst)
lst[1:3] = []
print(lst)
try:
    lst[::2] = [1]
except ValueError as e:
    print("ValueError:", e)
x = [1, 2, 3]
x[1:2] = "xyz"
print(x)
