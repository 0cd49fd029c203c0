import time
def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    elapsed = time.perf_counter() - start
    return result, elapsed
def work(n):
    return sum(i * i for i in range(n))
result, elapsed = timed(work, 100000)
print(result, isinstance(elapsed, float), elapsed >= 0.0)
start = time.time()
time.sleep(0.02)
print(0.015 <= time.time() - start < 5.0)
stamps = [time.monotonic() for _ in range(5)]
print(all(a <= b for a, b in zip(stamps, stamps[1:])))
