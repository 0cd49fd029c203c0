class Key:
    def __init__(self, k):
        self.k = k
    def __eq__(self, other):
        return isinstance(other, Key) and self.k.lower() == other.k.lower()
    def __hash__(self):
        return hash(self.k.lower())
    def __repr__(self):
        return f"Key({self.k!r})"
d = {Key("Abc"): 1}
d[Key("ABC")] = 2
print(d, Key("aBc") in d, len({Key("x"), Key("X"), Key("y")}))
class NoHash:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        return self.v == other.v
print(NoHash.__hash__ is None, NoHash(1) == NoHash(1), NoHash(1) != NoHash(2))
try:
    {NoHash(1)}
except TypeError as e:
    print("TypeError:", e)
class Default:
    pass
x = Default()
print(x == x, x != Default(), hash(x) == hash(x))
