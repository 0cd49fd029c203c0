results = [3 > 2, 3 < 2, "a" == "a", [] == [], None is None]
print(results, all(results), any(results), sum(results))
print(type(1 < 2).__name__, (1 < 2) + (2 < 3))
x = 7
is_valid = 0 < x < 10 and x % 2 == 1
print(is_valid)
print((x > 5) == True, (x > 5) is True)
print([i for i in range(10) if 3 <= i < 7 and i != 5])
