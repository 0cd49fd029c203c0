s = list(range(10))
print(s[2:5], s[:3], s[7:], s[:], s[-3:], s[:-7])
print(s[::2], s[1::2], s[::-1], s[::-3], s[8:2:-2])
print(s[5:2], s[-1:-4], s[-1:-4:-1], s[100:200], s[-100:2])
print(s[3:3], s[::10], s[::-10])
t = "abcdefgh"
print(t[1:4], t[::-1], t[::3], t[-2:], t[:0], t[5:1:-1])
u = (0, 1, 2, 3)
print(u[1:], u[::-1], u[1:3])
try:
    s[::0]
except ValueError as e:
    print("ValueError:", e)
