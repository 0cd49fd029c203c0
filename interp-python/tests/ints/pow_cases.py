print(2 ** 10, (-2) ** 3, (-2) ** 4, -2 ** 4)
print(2 ** -1, 10 ** -2, (-2) ** -2)
print(pow(2, 10), pow(3, 4), pow(0, 0), pow(-1, 101))
print(pow(2, 10, 1000), pow(3, 200, 13), pow(-3, 3, 7), pow(5, 0, 3))
print(type(2 ** 3).__name__, type(2 ** -3).__name__)
try:
    pow(0, -1)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    pow(2, 3, 0)
except ValueError as e:
    print("ValueError:", e)
print(pow(3, -1, 7), 3 * pow(3, -1, 7) % 7)
