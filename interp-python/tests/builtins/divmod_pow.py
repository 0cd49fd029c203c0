for a, b in [(17, 5), (-17, 5), (17, -5), (-17, -5), (0, 3)]:
    print(a, b, divmod(a, b))
print(divmod(7.5, 2), divmod(-7.5, 2), divmod(10 ** 20, 7))
print(pow(2, 8), pow(2, -2), pow(2.5, 2), pow(9, 0.5))
print(pow(2, 100, 1000), pow(7, 0, 5), pow(-7, 3, 10), pow(3, 1000000, 1000007))
print(pow(4, -1, 7), pow(base=2, exp=5), pow(2, 5, mod=7))
try:
    pow(2, -1, 4)
except ValueError as e:
    print("ValueError:", e)
try:
    pow(2.0, 2, 3)
except TypeError as e:
    print("TypeError:", e)
try:
    divmod(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
