e = "outer value"
try:
    raise ValueError("inner")
except ValueError as e:
    print("in handler:", e)
try:
    print(e)
except NameError as err:
    print("NameError:", err)
def keep():
    saved = None
    try:
        1 / 0
    except ZeroDivisionError as exc:
        saved = exc
    return saved
s = keep()
print(type(s).__name__, s)
