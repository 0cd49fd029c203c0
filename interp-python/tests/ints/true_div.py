print(7 / 2, -7 / 2, 10 / 5, 1 / 3, 2 / 3)
print(type(10 / 5).__name__, 10 / 5 == 2)
print(10 ** 30 / 10 ** 10)
print(1 / 8, 3 / 16, 1 / 1024)
print(22 / 7)
print(-1 / 3, 0 / 7, -0 / 7)
x = 9
x /= 2
print(x)
print(2 ** 60 / 3)
