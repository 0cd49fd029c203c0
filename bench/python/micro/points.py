class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def add(self, o):
        return Point(self.x + o.x, self.y + o.y)
def main():
    p = Point(0, 0)
    d = Point(1, 2)
    for _ in range(300000):
        p = p.add(d)
    print(p.x, p.y)
main()
