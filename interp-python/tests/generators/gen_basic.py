def countdown(n):
    print("start")
    while n > 0:
        yield n
        n -= 1
    print("end")
g = countdown(3)
print(type(g).__name__)
print(next(g))
print(list(g))
print(list(countdown(0)))
def multi():
    yield "a"
    yield "b"
    return
    yield "never"
print(list(multi()), [x for x in multi()])
def evens(limit):
    for i in range(limit):
        if i % 2 == 0:
            yield i
print(sum(evens(10)), list(evens(7)))
