ops = [
    ("//", lambda a, b: a // b),
    ("%", lambda a, b: a % b),
    ("/", lambda a, b: a / b),
    ("divmod", lambda a, b: divmod(a, b)),
]
for name, f in ops:
    try:
        f(5, 0)
        print(name, "no error")
    except ZeroDivisionError as e:
        print(name, "ZeroDivisionError:", e)
try:
    x = 0
    x //= 0
except ZeroDivisionError as e:
    print("augmented:", e)
print(isinstance(ZeroDivisionError(), ArithmeticError))
print(0 // 5, 0 % 5, -0 // 3)
