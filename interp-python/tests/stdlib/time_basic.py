import time
t1 = time.time()
print(type(t1).__name__, t1 > 1.6e9)
p1 = time.perf_counter()
m1 = time.monotonic()
total = 0
for i in range(10000):
    total += i
time.sleep(0.01)
t2 = time.time()
p2 = time.perf_counter()
m2 = time.monotonic()
print(total, t2 >= t1, p2 - p1 >= 0.005, m2 >= m1)
print(type(time.time_ns()).__name__, time.time_ns() > 1.6e18)
print(isinstance(time.perf_counter(), float), isinstance(time.monotonic(), float))
print(abs(time.time() - time.time_ns() / 1e9) < 1.0)
