class Temp:
    unit = "C"
    count = 0
    def __init__(self, deg):
        self.deg = deg
        Temp.count += 1
    @classmethod
    def from_f(cls, f):
        return cls(round((f - 32) * 5 / 9, 2))
    @classmethod
    def get_unit(cls):
        return cls.unit
    @staticmethod
    def valid(deg):
        return deg >= -273.15
class Kelvin(Temp):
    unit = "K"
t = Temp.from_f(212)
k = Kelvin.from_f(32)
print(t.deg, type(t).__name__, k.deg, type(k).__name__)
print(Temp.get_unit(), Kelvin.get_unit(), k.get_unit())
print(Temp.valid(-300), t.valid(0), Kelvin.valid(5))
print(Temp.count)
