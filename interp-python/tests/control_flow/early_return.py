def first_negative(rows):
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v < 0:
                return (r, c, v)
    return "none"
print(first_negative([[1, 2], [3, -4, -5]]), first_negative([[1]]))
def check(n):
    if n < 0:
        return "negative"
    if n == 0:
        return "zero"
    for d in range(2, n):
        if n % d == 0:
            return f"composite ({d})"
    return "prime or one"
print([check(n) for n in [-1, 0, 1, 7, 9, 13]])
def loop_with_while():
    k = 0
    while True:
        k += 3
        if k > 10:
            return k
print(loop_with_while())
