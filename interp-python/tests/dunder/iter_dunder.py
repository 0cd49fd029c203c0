class Range2:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        i = 0
        while i < self.n:
            yield i
            i += 1
    def __reversed__(self):
        return iter(range(self.n - 1, -1, -1))
    def __contains__(self, x):
        print("contains", x)
        return 0 <= x < self.n
r = Range2(4)
print(list(r), list(reversed(r)), 2 in r, 9 in r, sum(r), max(r))
print([x * x for x in r], dict(zip(r, "abcd")))
a, b, *c = r
print(a, b, c)
