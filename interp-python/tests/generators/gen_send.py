def averager():
    total, count, avg = 0, 0, None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count
a = averager()
print(next(a))
print(a.send(10), a.send(20), a.send(60))
def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            break
        received.append(x)
    yield received
e = echo()
print(e.send(None), e.send("a"), e.send("b"), next(e))
g = averager()
try:
    g.send(5)
except TypeError as err:
    print("TypeError:", err)
