print("first")
name = "world
print("hello", name)
print("last")
x = 1
