data = [3, 1, 4, 0, 5, 9]
pos = [0]
def reader():
    v = data[pos[0]]
    pos[0] += 1
    return v
print(list(iter(reader, 0)))
print(pos[0])
lines = ["a", "b", "", "c"]
it = iter(lines)
print(list(iter(lambda: next(it), "")))
count = [0]
def tick():
    count[0] += 1
    return count[0]
print(list(iter(tick, 5)))
