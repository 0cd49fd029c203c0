def f(a, b=2):
    return a + b
def attempt(thunk):
    try:
        print(thunk())
    except TypeError as e:
        print("TypeError:", e)
attempt(lambda: f())
attempt(lambda: f(1, 2, 3))
attempt(lambda: f(1, c=3))
attempt(lambda: f(1, a=1))
attempt(lambda: f(b=1))
attempt(lambda: f(1))
def g():
    pass
attempt(lambda: g(1))
attempt(lambda: len())
five = 5
attempt(lambda: five())
