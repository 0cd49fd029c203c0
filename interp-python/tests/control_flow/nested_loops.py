for i in range(1, 4):
    line = ""
    for j in range(1, 4):
        line += f"{i * j:3}"
    print(line)
count = 0
for a in range(5):
    for b in range(5):
        if b > a:
            break
        if (a + b) % 2:
            continue
        count += 1
print(count)
def search(grid, target):
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v == target:
                return r, c
    return None
g = [[1, 2], [3, 4], [5, 6]]
print(search(g, 4), search(g, 7))
for i in range(3):
    for j in range(3):
        if j == 1:
            break
    else:
        print("inner else never")
    print("outer", i, j)
