print("{} {}".format("a", "b"), "{1} {0} {1}".format("x", "y"))
print("{name} is {age}".format(name="Bo", age=3), "{0} {x}".format(1, x=2))
lst = [10, 20, 30]
print("{0[1]} {0[2]}".format(lst), "{d[key]}".format(d={"key": "val"}))
class Pt:
    def __init__(self):
        self.x, self.y = 3, 4
print("({p.x}, {p.y})".format(p=Pt()))
print("{{literal}} {}".format("v"), "{{}}".format())
print("{!r} {!s} {!a}".format("s", "s", "é"))
print("{:>5}|{:<5}|{:^5}|".format("a", "b", "c"))
try:
    "{} {}".format(1)
except IndexError as e:
    print("IndexError:", e)
try:
    "{x}".format(y=1)
except KeyError as e:
    print("KeyError:", e)
try:
    "{0} {}".format(1, 2)
except ValueError as e:
    print("ValueError:", e)
