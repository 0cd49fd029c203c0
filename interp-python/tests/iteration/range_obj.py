r = range(2, 20, 3)
print(r, list(r), len(r), r[0], r[-1], r[2:4], r[::-1])
print(5 in r, 6 in r, r.index(11), r.count(8), r.start, r.stop, r.step)
print(list(range(5, 0, -1)), list(range(0)), list(range(3, 3)), list(range(-3, 3, 2)))
print(len(range(0, 10 ** 6, 7)), range(0, 10 ** 20, 7)[-1], 10 ** 19 in range(10 ** 20))
print(range(0, 6, 2) == range(0, 5, 2), range(0) == range(5, 5), range(3) == [0, 1, 2])
print(list(reversed(range(4))), sum(range(101)), max(range(-5, 5)))
try:
    range(1, 2, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    range(1.5)
except TypeError as e:
    print("TypeError:", e)
try:
    r[100]
except IndexError as e:
    print("IndexError:", e)
