t = (1, [2, 3], "x")
try:
    t[0] = 9
except TypeError as e:
    print("TypeError:", e)
try:
    del t[0]
except TypeError as e:
    print("TypeError:", e)
t[1].append(4)
print(t)
try:
    t.append(5)
except AttributeError as e:
    print("AttributeError:", e)
u = t
t += (5,)
print(u, t, u is t)
try:
    hash(t)
except TypeError as e:
    print("TypeError:", e)
print(hash((1, 2)) == hash((1, 2)), hash((1, 2)) == hash((2, 1)))
