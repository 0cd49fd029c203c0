class Date:
    def __init__(self, y, m, d):
        self.y, self.m, self.d = y, m, d
    @classmethod
    def parse(cls, s):
        y, m, d = map(int, s.split("-"))
        return cls(y, m, d)
    def __repr__(self):
        return f"{type(self).__name__}({self.y}, {self.m}, {self.d})"
    @staticmethod
    def is_leap(y):
        return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
class LoggedDate(Date):
    pass
print(Date.parse("2024-02-29"), LoggedDate.parse("1999-12-31"))
print([y for y in (1900, 2000, 2023, 2024) if Date.is_leap(y)])
cm = Date.__dict__["parse"]
print(type(cm).__name__, type(Date.__dict__["is_leap"]).__name__)
