def noisy(x):
    print("processing", x)
    return x * 10
m = map(noisy, [1, 2, 3])
print("map created")
print(next(m))
print(list(m))
f = filter(lambda v: print("test", v) or v % 2, range(4))
print("filter created")
print(list(f))
print(list(filter(None, [0, 1, "", "a", None, [], [0]])))
print(list(map(lambda a, b: a + b, [1, 2, 3], [10, 20])))
print(list(map(pow, [2, 3], [3, 2])))
