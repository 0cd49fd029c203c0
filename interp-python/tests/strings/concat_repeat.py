s = "ab"
print(s + "cd", s * 3, 3 * s, s * 0, s * -2, repr("" * 5))
t = ""
for i in range(5):
    t += str(i)
print(t, len(t))
u = s
u += "!"
print(s, u)
print("-" * 20)
print(("x" + "y") * 2 + "z")
try:
    "a" + 1
except TypeError as e:
    print("TypeError:", e)
try:
    "a" * 2.0
except TypeError as e:
    print("TypeError:", e)
