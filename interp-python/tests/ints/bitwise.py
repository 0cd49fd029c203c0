print(12 & 10, 12 | 10, 12 ^ 10, ~12)
print(~0, ~-1, ~255)
print(1 << 10, 1024 >> 3, 5 >> 10, -1 >> 5, -8 >> 1, -9 >> 1)
print(-12 & 10, -12 | 10, -12 ^ 10, -12 & -10)
print(0xFF & 0x0F, 0xF0 | 0x0F, 0xAA ^ 0xFF)
x = 0b1011
print(x & 1, (x >> 1) & 1, (x >> 2) & 1, (x >> 3) & 1)
try:
    print(1 << -1)
except ValueError as e:
    print("ValueError:", e)
try:
    print(1 >> -3)
except ValueError as e:
    print("ValueError:", e)
