a, b = 17, 5
print(a + b, a - b, a * b)
print(a // b, a % b, a ** 2)
print(b - a, -a, +a)
print(0 * 12345, 1 * -1, -0)
print(2 ** 0, 0 ** 0, 1 ** 1000)
print(10 - 3 - 2, 2 ** 3 ** 2, (2 ** 3) ** 2)
print(7 * 6 // 4, 7 * (6 // 4), -7 * 3)
x = 100
x = x * 3 + 7 - 2
print(x, type(x).__name__)
print(1 + 2 * 3 - 4 // 2 % 3)
