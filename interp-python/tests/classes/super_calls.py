class Base:
    def __init__(self, x):
        self.x = x
        print("Base init", x)
    def total(self):
        return self.x
class Mid(Base):
    def __init__(self, x, y):
        super().__init__(x)
        self.y = y
        print("Mid init", y)
    def total(self):
        return super().total() + self.y
class Top(Mid):
    def __init__(self):
        super(Top, self).__init__(1, 2)
        print("Top init")
    def total(self):
        return super().total() * 10
t = Top()
print(t.total(), t.x, t.y)
print(super(Mid, t).total())
