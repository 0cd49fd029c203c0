def risky():
    try:
        return [1, 2, 3][10]
    except IndexError:
        raise TypeError("secondary failure while handling")
print("start")
try:
    risky()
finally:
    print("finally still runs before the traceback")
