class Ver:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))
    def __lt__(self, o):
        return self.parts < o.parts
    def __le__(self, o):
        return self.parts <= o.parts
    def __eq__(self, o):
        return self.parts == o.parts
    def __repr__(self):
        return ".".join(map(str, self.parts))
vs = [Ver("1.10"), Ver("1.2"), Ver("1.2.1"), Ver("0.9")]
print(sorted(vs), max(vs), min(vs))
a, b = Ver("2.0"), Ver("10.0")
print(a < b, a <= b, a > b, a >= b, a == b, a != b)
class Cmp:
    def __init__(self, v):
        self.v = v
    def __gt__(self, o):
        print("gt called")
        return self.v > o
print(5 < Cmp(10))
try:
    Ver("1") > 3
except (TypeError, AttributeError) as e:
    print(type(e).__name__)
