vals = [1, 1.0, "s", b"b", [1], (1,), {1: 1}, {1}, None, True, range(1), len, type]
for v in vals:
    print(type(v).__name__, type(v) is type(v), isinstance(v, object))
print(type(1) == int, type(True) == int, isinstance(True, int))
print(isinstance([], (dict, list)), isinstance("x", (int, float)))
print(issubclass(int, object), issubclass(bool, (str, int)), issubclass(type, object))
T = type("Dyn", (), {"x": 5, "hello": lambda self: "hi"})
d = T()
print(T.__name__, d.x, d.hello(), type(d).__name__)
