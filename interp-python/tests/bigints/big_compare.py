big = 2 ** 53
print(big + 1 > float(big), big + 1 == float(big + 1), float(big + 1) == big)
print(10 ** 20 == 1e20, 10 ** 23 == 1e23, 10 ** 22 == 1e22)
print(float(2 ** 100), int(float(2 ** 100)) == 2 ** 100)
print(2 ** 1000 > 1e300, -(2 ** 1000) < -1e300, 2 ** 2000 < float("inf"))
print(max(2 ** 70, 2 ** 69 * 2 + 1), min(-(2 ** 70), 3))
print(sorted([2 ** 65, -(2 ** 65), 0, 2 ** 64, 1.5]))
try:
    float(10 ** 400)
except OverflowError as e:
    print("OverflowError:", e)
try:
    print(10 ** 400 / 3)
except OverflowError as e:
    print("OverflowError:", e)
print(10 ** 400 // 10 ** 399)
