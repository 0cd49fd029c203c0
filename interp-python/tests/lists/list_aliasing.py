a = [1, 2, 3]
b = a
b.append(4)
print(a, b, a is b)
c = a[:]
c.append(5)
print(a, c, a is c, a == a[:])
d = list(a)
print(d == a, d is a)
grid = [[0] * 3] * 3
grid[0][0] = 1
print(grid)
grid2 = [[0] * 3 for _ in range(3)]
grid2[0][0] = 1
print(grid2)
def mutate(x):
    x.append("m")
    x = ["new"]
    return x
orig = []
print(mutate(orig), orig)
