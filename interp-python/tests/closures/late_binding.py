funcs = []
for i in range(3):
    funcs.append(lambda: i)
print([f() for f in funcs])
funcs = []
for i in range(3):
    funcs.append(lambda i=i: i)
print([f() for f in funcs])
def make(i):
    return lambda: i * 10
print([make(i)() for i in range(3)])
x = 1
def read():
    return x
x = 2
print(read())
adders = [lambda v, n=n: v + n for n in range(4)]
print([f(100) for f in adders])
