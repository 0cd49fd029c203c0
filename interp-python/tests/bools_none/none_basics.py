def f():
    pass
def g():
    return
r1, r2 = f(), g()
print(r1, r2, r1 is None, r2 is None)
print(repr(None), str(None), type(None).__name__)
print(None == None, None != 0, None == False, None is not False)
print([None] * 3, {None: None})
print(bool(None), None or 5)
x = None
if x is None:
    print("x is None")
print(type(None)() is None)
print(print("inner") is None)
