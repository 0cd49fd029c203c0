class Obj:
    cls_attr = "class"
    def __init__(self):
        self.a = 1
        self.b = 2
o = Obj()
del o.a
print(hasattr(o, "a"), vars(o))
try:
    del o.a
except AttributeError as e:
    print("AttributeError:", e)
o.cls_attr = "instance"
print(o.cls_attr)
del o.cls_attr
print(o.cls_attr)
try:
    del o.cls_attr
except AttributeError as e:
    print("AttributeError:", e)
del Obj.cls_attr
print(hasattr(o, "cls_attr"))
delattr(o, "b")
print(vars(o))
