class Plain:
    pass
a, b = Plain(), Plain()
print(a == a, a == b, a != b, hash(a) == hash(a))
print(repr(a).startswith("<__main__.Plain object at "), str(a) == repr(a))
print(type(a).__name__, Plain.__bases__[0].__name__, Plain.__module__)
print(isinstance(a, object), issubclass(Plain, object))
print(a.__class__.__name__, Plain.__qualname__)
try:
    a < b
except TypeError as e:
    print("TypeError:", e)
o = object()
try:
    o.attr = 1
except AttributeError as e:
    print("AttributeError:", e)
