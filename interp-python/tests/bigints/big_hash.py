P = 2 ** 61 - 1
print(hash(0), hash(1), hash(-1), hash(-2), hash(12345))
print(hash(P), hash(P + 1), hash(2 ** 61), hash(2 ** 64))
print(hash(-(2 ** 64)), hash(-P))
print(hash(10 ** 30), hash(-(10 ** 30)))
print(hash(2 ** 100) == hash(2 ** 100 % P))
print(hash(1.0) == hash(1), hash(2 ** 70) == hash(float(2 ** 70)))
