M = 10 ** 9 + 7
print(pow(3, 10 ** 20, M))
print(pow(2, 2 ** 64, M))
print(pow(123456789, M - 2, M) * 123456789 % M)
print(pow(10, -1, 17), pow(2 ** 100, -1, 101))
print(pow(7, 128) % 1000, pow(7, 128, 1000))
print(pow(-2, 127))
print(pow(2 ** 64, 3, 2 ** 100 + 1))
