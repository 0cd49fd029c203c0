def nothing():
    pass
def early(x):
    if x > 0:
        return "pos"
    elif x < 0:
        return "neg"
    return
def multi():
    return 1, "two", [3]
print(nothing(), early(5), early(-5), early(0))
a, b, c = multi()
print(a, b, c, multi())
def returns_func():
    def inner():
        return "inner called"
    return inner
print(returns_func()())
def loop_return(items):
    for i in items:
        if i % 7 == 0:
            return i
    return None
print(loop_return([1, 3, 14, 21]), loop_return([1, 2]))
def try_return():
    try:
        return "try"
    finally:
        print("finally runs")
print(try_return())
