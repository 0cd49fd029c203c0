s = "hello"
try:
    s[0] = "j"
except TypeError as e:
    print("TypeError:", e)
try:
    del s[0]
except TypeError as e:
    print("TypeError:", e)
t = "j" + s[1:]
print(s, t)
u = s.upper()
print(s, u)
v = s
s += " world"
print(v, "|", s)
print(s.replace("l", "L"), s)
