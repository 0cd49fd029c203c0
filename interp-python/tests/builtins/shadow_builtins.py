print(len("abc"))
def len(x):
    return "shadowed"
print(len("abc"))
del len
print(len("abc"))
def f():
    list = [1, 2]
    return list
print(f(), list("ab"))
sum = lambda *a: "my sum"
print(sum([1, 2]))
del sum
print(sum([1, 2]))
