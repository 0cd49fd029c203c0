def source():
    for i in range(3):
        print("producing", i)
        yield i
def double(it):
    for x in it:
        print("doubling", x)
        yield x * 2
pipe = double(source())
print("pipeline built")
for v in pipe:
    print("consumed", v)
g = (print("gen expr", i) or i for i in range(2))
print("genexpr built")
print(list(g))
def first_only():
    yield "first"
    print("this is never printed")
    yield "second"
print(next(first_only()))
