x = 5
print(1 < x < 10, 1 < x > 10, 1 < x < 3, 0 <= x <= 5 < 6)
print(1 == 1 == 1, 1 == 1 != 2, 3 > 2 > 1 > 0, 1 < 2 > 0 < 5)
calls = []
def v(n):
    calls.append(n)
    return n
print(v(1) < v(0) < v(5), calls)
calls.clear()
print(v(1) < v(2) < v(3), calls)
a = [1]
b = [1]
print(a == b, a is b, a is not b, a == b is not None)
print("a" < "b" < "c", (1, 2) < (1, 3) <= (1, 3))
