grid = {}
for r in range(3):
    for c in range(3):
        grid[(r, c)] = r * 3 + c
print(grid[(1, 2)], grid[2, 0], len(grid))
print((0, 0) in grid, (3, 3) in grid)
visited = {(0, 0), (0, 1), (0, 0)}
print(len(visited), sorted(visited))
d = {("a", 1): "x", ("a", 2): "y"}
print(d[("a", 2)], sorted(d))
try:
    {([1],): 1}
except TypeError as e:
    print("TypeError:", e)
