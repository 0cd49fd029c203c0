class Seq:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(self.n)
            return ["s", start, stop, step]
        if key < 0:
            key += self.n
        if not 0 <= key < self.n:
            raise IndexError("Seq index out of range")
        return key * 10
s = Seq(6)
print(s[2], s[-1], s[1:4], s[::-1], s[:100:2], s[-2:])
try:
    s[6]
except IndexError as e:
    print("IndexError:", e)
print(list(s), [x for x in s if x > 20])
