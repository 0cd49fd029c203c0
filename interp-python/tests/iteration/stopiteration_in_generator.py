def gen():
    yield 1
    raise StopIteration("manual")
try:
    print(list(gen()))
except RuntimeError as e:
    print("RuntimeError:", e, "| cause:", type(e.__cause__).__name__)
def ok_gen():
    yield 1
    return "done"
g = ok_gen()
next(g)
try:
    next(g)
except StopIteration as e:
    print("StopIteration value:", e.value, e.args)
def wrapper():
    it = iter([1, 2])
    while True:
        try:
            yield next(it)
        except StopIteration:
            return
print(list(wrapper()))
