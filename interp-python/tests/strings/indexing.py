s = "python"
print(s[0], s[5], s[-1], s[-6], s[2])
for i in range(len(s)):
    print(i, s[i], s[-1 - i])
try:
    s[6]
except IndexError as e:
    print("IndexError:", e)
try:
    s[-7]
except IndexError as e:
    print("IndexError:", e)
try:
    s["0"]
except TypeError as e:
    print("TypeError:", e)
print(type(s[0]).__name__, len(s[0]), s[True])
