counter = 0
def bump():
    global counter
    counter += 1
    return counter
print(bump(), bump(), counter)
def create():
    global created
    created = "made"
create()
print(created)
def reader():
    return counter * 10
print(reader())
def shadow():
    counter = -1
    return counter
print(shadow(), counter)
def deleter():
    global created
    del created
deleter()
try:
    created
except NameError as e:
    print("NameError:", e)
