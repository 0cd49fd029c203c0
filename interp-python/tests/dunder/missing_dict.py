class Default(dict):
    def __missing__(self, key):
        self[key] = value = len(key)
        return value
d = Default(a=100)
print(d["a"], d["hello"], d)
print(d.get("zz"), "zz" in d)
class Counter(dict):
    def __missing__(self, key):
        return 0
c = Counter()
for ch in "hello world":
    c[ch] += 1
print(sorted(c.items()))
print(c["q"], "q" in c)
