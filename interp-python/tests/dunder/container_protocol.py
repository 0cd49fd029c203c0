class Bag:
    def __init__(self):
        self.data = {}
    def __setitem__(self, k, v):
        print("set", k, v)
        self.data[k] = v
    def __getitem__(self, k):
        return self.data[k]
    def __delitem__(self, k):
        print("del", k)
        del self.data[k]
    def __len__(self):
        return len(self.data)
    def __contains__(self, k):
        return k in self.data
    def __iter__(self):
        return iter(sorted(self.data))
b = Bag()
b["z"] = 1
b["a"] = 2
print(len(b), "a" in b, "q" in b, list(b), b["z"])
del b["z"]
print(len(b), list(b))
try:
    b["missing"]
except KeyError as e:
    print("KeyError:", e)
print(sorted(b), [k for k in b], bool(b))
