# Generator pipelines: chained generator functions and generator expressions,
# yield from, a sliding window, a coroutine fed with send(), and a lazily
# merged stream. Usage: generators.py [n]
import sys


def naturals(start, stop):
    n = start
    while n < stop:
        yield n
        n += 1


def collatz(n):
    while n != 1:
        yield n
        n = n // 2 if n % 2 == 0 else 3 * n + 1
    yield 1


def collatz_lengths(numbers):
    for n in numbers:
        yield n, sum(1 for _ in collatz(n))


def keep(pred, items):
    for item in items:
        if pred(item):
            yield item


def window(items, size):
    buf = []
    for item in items:
        buf.append(item)
        if len(buf) > size:
            del buf[0]
        if len(buf) == size:
            yield tuple(buf)


def flatten(nested):
    for item in nested:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item


def nested_lists(depth, width, base=0):
    if depth == 0:
        return [base + i for i in range(width)]
    return [nested_lists(depth - 1, width, base * width + i) for i in range(width)]


def averager():
    total = 0.0
    count = 0
    average = None
    while True:
        value = yield average
        total += value
        count += 1
        average = total / count


def merge(a, b):
    """Merge two sorted iterators."""
    a, b = iter(a), iter(b)
    x, y = next(a, None), next(b, None)
    while x is not None and y is not None:
        if x <= y:
            yield x
            x = next(a, None)
        else:
            yield y
            y = next(b, None)
    while x is not None:
        yield x
        x = next(a, None)
    while y is not None:
        yield y
        y = next(b, None)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 120000
    # 1. Collatz lengths through a filter and a sliding window
    lengths = collatz_lengths(naturals(1, n))
    long_ones = keep(lambda p: p[1] > 100, lengths)
    best_sum, best_at = 0, None
    count = 0
    for w in window(long_ones, 3):
        count += 1
        s = w[0][1] + w[1][1] + w[2][1]
        if s > best_sum:
            best_sum, best_at = s, w[0][0]
    print(f"windows: {count}, best 3-window sum {best_sum} starting at {best_at}")

    # 2. yield from over a nested structure
    tree = nested_lists(4, 9)
    for _ in range(max(1, n // 6000)):
        total = sum(flatten(tree))
        evens = sum(1 for x in flatten(tree) if x % 2 == 0)
    print(f"flatten: total {total}, evens {evens}")

    # 3. a coroutine averaging a stream of squares
    avg = averager()
    next(avg)
    last = None
    for x in (i * i % 1009 for i in range(n * 5)):
        last = avg.send(x)
    print(f"average: {last:.6f}")

    # 4. merging two sorted generator streams, with generator expressions
    threes = (3 * i for i in range(n * 2))
    fives = (5 * i + 1 for i in range(n * 2))
    merged = merge(threes, fives)
    checksum = 0
    for k, v in enumerate(merged):
        checksum = (checksum * 7 + v * (k % 13)) % 1000003
    print(f"merge checksum: {checksum}")

    # 5. generator expressions in builtins
    squares = sum(x * x for x in range(n * 4) if x % 3)
    biggest = max((x * 7919) % 10007 for x in range(n * 2))
    anyneg = any(x < 0 for x in naturals(0, n * 2))
    print(f"squares {squares}, max {biggest}, any negative {anyneg}")


main()
