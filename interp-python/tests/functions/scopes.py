x = "global"
def read_global():
    return x
def shadow():
    x = "local"
    return x
print(read_global(), shadow(), x)
def unbound():
    try:
        print(x)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    x = 1
unbound()
def undefined():
    try:
        return undefined_name
    except NameError as e:
        return "NameError: " + str(e)
print(undefined())
def outer():
    y = 1
    def inner():
        return y + 1
    return inner()
print(outer())
for i in range(3):
    pass
print(i)
