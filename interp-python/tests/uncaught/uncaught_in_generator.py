def numbers():
    yield 1
    yield 2
    raise RuntimeError("generator failed after two values")
total = 0
for n in numbers():
    total += n
    print("got", n, "total", total)
print("not reached")
