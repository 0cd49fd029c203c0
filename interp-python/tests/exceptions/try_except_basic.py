def divide(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return "div by zero"
print(divide(6, 3), divide(1, 0))
try:
    int("x")
except ValueError as e:
    print("caught ValueError:", e)
try:
    [][0]
except (KeyError, IndexError) as e:
    print("caught", type(e).__name__, e)
try:
    {}["k"]
except IndexError:
    print("wrong")
except KeyError:
    print("right handler")
try:
    undefined_var
except Exception as e:
    print(type(e).__name__, e)
try:
    raise ValueError
except ValueError as e:
    print(repr(e), e.args, str(e) == "")
