class CountUp:
    def __init__(self, lo, hi):
        self.cur, self.hi = lo, hi
    def __iter__(self):
        return self
    def __next__(self):
        if self.cur > self.hi:
            raise StopIteration
        v = self.cur
        self.cur += 1
        return v
print(list(CountUp(1, 5)))
c = CountUp(1, 3)
for x in c:
    print("loop", x)
print(list(c))
class Repeat:
    def __init__(self, v, n):
        self.v, self.n = v, n
    def __iter__(self):
        return RepeatIter(self.v, self.n)
class RepeatIter:
    def __init__(self, v, n):
        self.v, self.n = v, n
    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.v
    def __iter__(self):
        return self
r = Repeat("x", 3)
print(list(r), list(r), "".join(r))
