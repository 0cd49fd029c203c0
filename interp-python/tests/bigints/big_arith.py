a = 123456789012345678901234567890
b = 987654321098765432109876543210
print(a + b)
print(a - b)
print(a * b)
print(b // a, b % a)
print(-b // a, -b % a)
print(b // -a, b % -a)
print(divmod(a * b + 17, a))
print(a * 0, a - a, -a + a)
print(abs(-a), -(-a) == a)
print((a * b) // b == a)
print(10**40 - 1, (10**40 - 1) // 9)
