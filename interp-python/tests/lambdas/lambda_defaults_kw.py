f = lambda a, *, b=2: a * b
print(f(3), f(3, b=5))
try:
    f(3, 5)
except TypeError as e:
    print("TypeError:", e)
g = lambda **kw: sorted(kw.items())
print(g(z=1, a=2))
h = lambda a, /, b: (a, b)
print(h(1, 2), h(1, b=3))
print((lambda x=[]: x.append(1) or len(x))(), (lambda x=[]: x)())
k = lambda: None
print(k(), k.__defaults__)
