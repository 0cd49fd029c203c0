a = 1
b = [1, 2]
del a
try:
    print(a)
except NameError as e:
    print("NameError:", e)
c, d = 3, 4
del c, d
print("c" in globals(), "d" in globals())
alias = b
del b
print(alias)
def f():
    x = 10
    del x
    try:
        return x
    except UnboundLocalError as e:
        return "UnboundLocalError: " + str(e)
print(f())
e = 5
del (e)
print("e" in globals())
