def inner():
    raise ValueError("inner problem")
def middle():
    try:
        inner()
    except ValueError:
        print("middle saw it, re-raising")
        raise
try:
    middle()
except ValueError as e:
    print("outer caught:", e)
def translate():
    try:
        inner()
    except ValueError as e:
        raise TypeError("translated") from e
try:
    translate()
except TypeError as e:
    print(e, "<-", e.__cause__)
try:
    try:
        raise KeyError("first")
    finally:
        print("inner finally")
except KeyError as e:
    print("caught after finally", e)
try:
    try:
        raise ValueError("a")
    except ValueError:
        raise
    finally:
        print("finally before propagate")
except ValueError as e:
    print("got", e)
