print("a valid line that must not run")
for i in range(3):
    print(i)
def fine():
    return "fine"
print(fine())
class OK:
    pass
x = [1, 2, 3]
y = {"k": x}
print(y)
z = (1 +)
