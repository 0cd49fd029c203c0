print(sum([1, 2, 3]), sum([]), sum([1, 2], 10), sum(range(101)))
print(sum([0.1, 0.2, 0.3]), sum([1, 2.5]), sum([True, True, False]))
print(sum([[1], [2, 3]], []), sum(((1,), (2,)), ()))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError:", e)
print(abs(-5), abs(5), abs(-0), abs(-2.5), abs(-0.0), abs(True), abs(-10 ** 30))
print(abs(float("-inf")))
try:
    abs("x")
except TypeError as e:
    print("TypeError:", e)
