class Squares:
    def __getitem__(self, i):
        if i >= 5:
            raise IndexError(i)
        return i * i
s = Squares()
print(list(s), 9 in s, 10 in s, s[3])
for v in s:
    print(v, end=" ")
print()
it = iter(s)
print(next(it), next(it))
class Countdown:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError
        return self.n - i
print(list(Countdown(4)), list(reversed(Countdown(3))), sorted(Countdown(3)))
