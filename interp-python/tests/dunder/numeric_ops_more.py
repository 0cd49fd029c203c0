class N:
    def __init__(self, v):
        self.v = v
    def __floordiv__(self, o): return N(self.v // o)
    def __mod__(self, o): return N(self.v % o)
    def __pow__(self, o, mod=None): return N(pow(self.v, o, mod))
    def __rpow__(self, o): return N(o ** self.v)
    def __divmod__(self, o): return (self // o, self % o)
    def __lshift__(self, o): return N(self.v << o)
    def __and__(self, o): return N(self.v & o)
    def __or__(self, o): return N(self.v | o)
    def __xor__(self, o): return N(self.v ^ o)
    def __matmul__(self, o): return N(self.v * o.v * 1000)
    def __repr__(self): return f"N({self.v})"
x = N(17)
print(x // 5, x % 5, x ** 2, pow(x, 2, 10), 2 ** N(5), divmod(x, 5))
print(x << 2, x & 3, x | 8, x ^ 1, x @ N(2))
