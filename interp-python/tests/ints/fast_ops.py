# Integer and float operations the interpreter loop does itself, on edge values: floor
# division and modulo with every sign combination, the i64 limits (where Python goes on with
# big ints), bitwise operations, shifts, division by zero, and float comparisons with NaN.
vals = [0, 1, -1, 7, -7, 3, -3, 2 ** 63 - 1, -2 ** 63, 2 ** 62, -(2 ** 62) - 1]
out = []
for x in vals:
    for y in vals:
        row = [x & y, x | y, x ^ y, x >> (y % 70) if y >= 0 else -999]
        if y != 0:
            row += [x // y, x % y]
        out.append(tuple(row))
print(len(out), out[:6], out[-6:])
print(sum(hash(t) % 1000003 for t in out))
print((-2 ** 63) // -1, (-2 ** 63) % -1, 7 // -2, -7 % 3, 7 % -3, -7 // -2)
for bad in ((1, 0), (0, 0), (-5, 0)):
    try:
        bad[0] // bad[1]
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
    try:
        bad[0] % bad[1]
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
try:
    1 >> -1
except ValueError as e:
    print("ValueError:", e)
nan = float("nan")
fs = [0.0, -0.0, 1.5, -2.5, float("inf"), nan]
print([(a < b, a <= b, a == b, a != b, a > b, a >= b) for a in fs for b in fs][::7])
acc = 0
for i in range(1, 100000):
    acc += (i * 7919) // 13 - (i % 97) + ((i ^ 0x5A5A) & 0xFF) - (i >> 3)
    if i % 1000 == 0 and acc % 3 == 1:
        acc //= 2
print(acc)
