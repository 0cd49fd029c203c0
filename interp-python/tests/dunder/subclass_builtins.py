class MyList(list):
    def sum(self):
        return sum(self)
    def append(self, x):
        super().append(x * 2)
ml = MyList([1, 2])
ml.append(5)
print(ml, ml.sum(), len(ml), isinstance(ml, list), type(ml).__name__)
print(ml + [1], type(ml + [1]).__name__)
class UpperStr(str):
    def shout(self):
        return self.upper() + "!"
u = UpperStr("hey")
print(u, u.shout(), u == "hey", len(u), type(u[:2]).__name__)
class PosInt(int):
    def __new__(cls, v):
        return super().__new__(cls, abs(v))
p = PosInt(-5)
print(p, p + 1, type(p).__name__, type(p + 1).__name__, isinstance(p, int))
class AttrDict(dict):
    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError:
            raise AttributeError(k)
ad = AttrDict(x=1)
print(ad.x, ad, hasattr(ad, "y"))
