class U:
    def __init__(self, v):
        self.v = v
    def __neg__(self):
        return U(-self.v)
    def __pos__(self):
        return U(abs(self.v))
    def __invert__(self):
        return U(~self.v)
    def __abs__(self):
        return self.v if self.v >= 0 else -self.v
    def __repr__(self):
        return f"U({self.v})"
u = U(-5)
print(-u, +u, ~u, abs(u), -(-u), ~~u)
try:
    -object()
except TypeError as e:
    print("TypeError:", e)
try:
    ~1.5
except TypeError as e:
    print("TypeError:", e)
