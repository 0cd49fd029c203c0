class Idx:
    def __init__(self, v):
        self.v = v
    def __index__(self):
        return self.v
i = Idx(3)
print([10, 20, 30, 40][i], "abcdef"[Idx(1):Idx(4)], bin(i), hex(Idx(255)), range(Idx(4)))
print(int(i), hasattr(i, "__int__"), (2).__index__())
class Num:
    def __int__(self):
        return 7
    def __float__(self):
        return 2.5
    def __round__(self, n=None):
        return "rounded" if n is None else f"rounded{n}"
n = Num()
print(int(n), float(n), round(n), round(n, 2))
try:
    [1, 2][Num()]
except TypeError as e:
    print("TypeError:", e)
