print(round(0.5), round(1.5), round(2.5), round(-1.5), round(-2.5), round(3.14159, 2))
print(round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2), round(7, 0))
print(round(2.675, 2), round(0.125, 2), round(0.375, 2), round(1.0000001, 3))
print(type(round(1.5)).__name__, type(round(1.5, 1)).__name__, type(round(7, 2)).__name__)
print(round(5e-324, 300), round(1e300, -299), round(123.456, -1))
print(round(-0.4), round(0.4999999999999999), round(10 ** 20 + 0.0))
try:
    round(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
