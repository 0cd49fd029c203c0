__all__ = ["Square", "Circle", "area_sum"]
PI = 3.14159
class Square:
    def __init__(self, side):
        self.side = side
    def area(self):
        return self.side ** 2
class Circle:
    def __init__(self, r):
        self.r = r
    def area(self):
        return round(PI * self.r ** 2, 2)
def area_sum(shapes):
    return sum(s.area() for s in shapes)
def not_exported():
    return "hidden by __all__"
