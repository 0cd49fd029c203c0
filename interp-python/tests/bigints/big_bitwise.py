x = 1 << 200
print(x)
print(x >> 190, x >> 200, x >> 201)
print((x - 1).bit_length(), bin(x - 1).count("1"))
y = (1 << 130) + (1 << 65) + 1
print(x | y)
print(y & ((1 << 66) - 1))
print(x ^ y)
print(~y)
print(-y & 0xFFFF, -y >> 64, -(1 << 100) >> 99)
print(hex(y), oct(1 << 64))
print((-y) & ((1 << 130) - 1) == (1 << 130) - (1 << 65) - 1)
