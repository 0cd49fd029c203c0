big = 10 ** 20
r = range(0, big, 7)
print(r, len(range(0, 10 ** 18, 3)), r[-1], r[0], r[5], r.start, r.stop, r.step)
print(bool(r), bool(range(big, 0)), 10 ** 19 in range(big), 10 ** 19 + 1 in range(0, big, 2))
print(big in range(big), -1 in range(big), 14 in r, 15 in r, 5.0 in range(10), 10 ** 19 + 0.0 in range(10 ** 19, big))
print(range(big, big + 5), list(range(big, big + 5)), list(range(big + 4, big - 1, -2)))
print(range(big)[big - 1], range(-big, 0)[-big], r[10 ** 18 : 10 ** 18 + 3])
print(list(r[10 ** 18 : 10 ** 18 + 3]), r[::-1][0], r[:3], range(big)[2:5:2] == range(2, 5, 2))
print(range(0, big, big) == range(0, 1), range(big, 0) == range(0), range(big) == range(big), range(big) != range(big + 1))
print(range(big).index(12345), range(0, -big, -3).index(-9), range(big).count(7), range(big).count(-7))
for i in range(big, big + 3):
    print(i, end=" ")
print()
for i in range(2 ** 63 - 2, 2 ** 63 + 2):
    print(i, end=" ")
print()
print(range(-2 ** 63, 2 ** 63 - 1)[-1], 2 ** 64 in range(10), reversed(range(big, big + 3)).__next__())
print(range(2 ** 63 - 5, 2 ** 63 - 1)[1:], range(1, 2 ** 63 - 1, 2 ** 62)[::2])
try:
    len(range(big))
except OverflowError as e:
    print("OverflowError:", e)
try:
    range(big)[big]
except IndexError as e:
    print("IndexError:", e)
try:
    range(big)["a"]
except TypeError as e:
    print("TypeError:", e)
try:
    range(0, big, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    range(big).index(-1)
except ValueError as e:
    print("ValueError:", e)
match range(big, big + 2):
    case [a, b]:
        print("match", a, b)
print(range(big)[::-(10 ** 19)], range(big)[-5:], range(big)[big * 2 :], range(big)[-big * 3 : 3], range(7)[-100:100:-1])
print(range(5).index(2.0), range(big)[True], 3 in range(True, 5))
