x = 10
x += 5; print(x)
x -= 3; print(x)
x *= 4; print(x)
x //= 5; print(x)
x %= 7; print(x)
x **= 3; print(x)
x <<= 2; print(x)
x >>= 1; print(x)
x &= 0b1110; print(x)
x |= 0b10001; print(x)
x ^= 0b11111; print(x)
y = x
y += 1
print(x, y)
lst = [1, 2, 3]
lst[1] += 10
lst[-1] *= 2
print(lst)
