def g():
    yield 1
    return "ret"
gen = g()
print(next(gen))
try:
    next(gen)
except StopIteration as e:
    print("StopIteration", repr(e.value))
try:
    next(gen)
except StopIteration as e:
    print("again", repr(e.value))
def running():
    print("running:", gen2.gi_running)
    yield
gen2 = running()
print(gen2.gi_running)
next(gen2)
def failing():
    yield "before"
    raise ValueError("inside")
f = failing()
print(next(f))
try:
    next(f)
except ValueError as e:
    print("ValueError:", e)
print(next(f, "exhausted after error"))
