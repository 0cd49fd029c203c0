ops = [
    ("/", lambda: 1.0 / 0),
    ("//", lambda: 1.0 // 0.0),
    ("%", lambda: 1.0 % 0.0),
    ("divmod", lambda: divmod(1.0, 0.0)),
    ("int/float0", lambda: 5 / 0.0),
]
for name, f in ops:
    try:
        f()
        print(name, "no error")
    except ZeroDivisionError as e:
        print(name, "ZeroDivisionError:", e)
try:
    0.0 ** -1
except ZeroDivisionError as e:
    print("pow:", e)
print(0.0 ** 0, 0.0 / 1)
