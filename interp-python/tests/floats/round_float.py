for x in [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.675, 1.005, 0.125, 0.375]:
    print(x, round(x), round(x, 2), round(x, 1))
print(round(123.456, -1), round(123.456, -2), round(987.6, 0))
print(type(round(2.5)).__name__, type(round(2.5, 0)).__name__)
print(round(1e20), round(-7.7), round(7.7))
print(round(5, 1), round(15, -1), round(25, -1), round(-35, -1))
print(round(3.14159, 3), round(-3.14159, 3))
