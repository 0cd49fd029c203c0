a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, id(a) == id(b), id(a) == id(c))
print(None is None, True is True, type(1) is int, type(True) is bool)
s = "hello"
t = s
print(s is t, s is not t)
class K:
    pass
k1, k2 = K(), K()
print(k1 is k1, k1 is k2, k1 == k2, k1 != k2)
d = {}
print(d.get("x") is None, len(d) == 0)
x = ()
y = ()
print(x == y, len(x) == len(y))
