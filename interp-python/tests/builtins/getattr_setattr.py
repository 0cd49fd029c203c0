class C:
    x = 1
    def m(self):
        return "method"
c = C()
print(getattr(c, "x"), getattr(c, "m")(), getattr(c, "nope", "fallback"))
setattr(c, "y", 2)
print(c.y, hasattr(c, "y"), hasattr(c, "z"), hasattr(C, "m"))
try:
    getattr(c, "missing")
except AttributeError as e:
    print("AttributeError:", e)
delattr(c, "y")
print(hasattr(c, "y"))
name = "dynamic_attr"
setattr(C, name, lambda self: "added")
print(c.dynamic_attr())
print(getattr([1, 2], "__len__")(), getattr("abc", "upper")())
try:
    setattr(5, "x", 1)
except AttributeError as e:
    print("AttributeError:", e)
try:
    getattr(c, 5)
except TypeError as e:
    print("TypeError:", e)
