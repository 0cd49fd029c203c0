class A: pass
class B(A): pass
class C: pass
b = B()
print(isinstance(b, A), isinstance(b, B), isinstance(b, C), isinstance(b, (C, A)))
print(issubclass(B, A), issubclass(A, B), issubclass(B, B), issubclass(B, object))
print(isinstance(1, int), isinstance(1, float), isinstance(1, (float, int)), isinstance(True, int))
print(isinstance("s", str), isinstance([], (list, tuple)), isinstance(None, object))
print(type(b) is B, type(b) is A, type(b) == B)
print(isinstance(A, type), isinstance(int, type), type(type).__name__, type(A).__name__)
try:
    isinstance(1, 2)
except TypeError as e:
    print("TypeError:", e)
