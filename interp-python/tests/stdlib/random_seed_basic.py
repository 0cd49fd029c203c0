import random
random.seed(42)
first = [random.random() for _ in range(5)]
for v in first:
    print(repr(v))
random.seed(42)
again = [random.random() for _ in range(5)]
print(first == again)
random.seed(0)
print(random.random(), random.random())
random.seed(12345)
print([round(random.random(), 6) for _ in range(3)])
print(all(0.0 <= random.random() < 1.0 for _ in range(1000)))
