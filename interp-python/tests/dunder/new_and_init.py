class Singleton:
    _inst = None
    def __new__(cls):
        if cls._inst is None:
            print("creating")
            cls._inst = super().__new__(cls)
        return cls._inst
    def __init__(self):
        print("init")
a = Singleton()
b = Singleton()
print(a is b)
class Weird:
    def __new__(cls, v):
        if v < 0:
            return "negative!"
        return super().__new__(cls)
    def __init__(self, v):
        self.v = v
print(Weird(-1), Weird(3).v)
class Point:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"Point({self.x}, {self.y})"
print(Point(1, 2))
