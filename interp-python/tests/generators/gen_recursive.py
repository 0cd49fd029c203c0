def permutations(items):
    if len(items) <= 1:
        yield list(items)
        return
    for i in range(len(items)):
        rest = items[:i] + items[i + 1:]
        for p in permutations(rest):
            yield [items[i]] + p
print(list(permutations([1, 2, 3])))
print(sum(1 for _ in permutations(list(range(6)))))
def subsets(s):
    if not s:
        yield []
        return
    for sub in subsets(s[1:]):
        yield sub
        yield [s[0]] + sub
print(sorted(subsets("abc")))
def hanoi(n, a, b, c):
    if n:
        yield from hanoi(n - 1, a, c, b)
        yield (a, c)
        yield from hanoi(n - 1, b, a, c)
print(list(hanoi(3, "A", "B", "C")))
