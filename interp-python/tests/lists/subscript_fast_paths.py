# Indexing the interpreter loop does itself (lists and tuples with int indexes) next to what it
# leaves to the general path: subclasses with __getitem__/__setitem__, bools and big ints as
# indexes, out-of-range and negative indexes, slices, and a loop hot enough for the JIT.
xs = [10, 20, 30, 40]
t = (1, 2, 3)
print(xs[0], xs[-1], xs[3], t[0], t[-3], xs[True], t[False])
xs[1] = 21
xs[-1] = 41
print(xs)
for bad in (4, -5, 2 ** 70):
    try:
        xs[bad]
    except IndexError as e:
        print("IndexError:", e)
    try:
        xs[bad] = 0
    except IndexError as e:
        print("IndexError:", e)
try:
    t[3]
except IndexError as e:
    print("IndexError:", e)
try:
    t[0] = 5
except TypeError as e:
    print("TypeError:", e)


class L(list):
    def __getitem__(self, i):
        return ("L", i)

    def __setitem__(self, i, v):
        print("L.__setitem__", i, v)


class T(tuple):
    def __getitem__(self, i):
        return "T" + str(i)


ll = L([1, 2, 3])
ll[0] = 9
print(ll[0], list.__getitem__(ll, 0), T((1, 2))[1], len(ll))
p = [0, 1, 2, 3, 4, 5, 6]
p[:3] = p[2::-1]
p[2:5] = "abc"
p[1:2] = [7, 8, 9]
print(p)
grid = [[0] * 8 for _ in range(8)]
for i in range(20000):
    r = grid[i % 8]
    r[(i * 3) % 8] += i
    grid[(i + 1) % 8][i % 8] = r[i % 8] - 1
print([sum(r) for r in grid], grid[7][-1])
