def read(lines):
    for line in lines:
        yield line
def strip_comments(lines):
    for line in lines:
        if not line.lstrip().startswith("#"):
            yield line
def parse(lines):
    for line in lines:
        k, _, v = line.partition("=")
        yield k.strip(), v.strip()
source = ["a = 1", "# comment", "b=2", "  # indented", "c = three"]
print(dict(parse(strip_comments(read(source)))))
nums = (int(x) for x in "3 1 4 1 5 9 2 6".split())
squares = (n * n for n in nums)
big = (s for s in squares if s > 5)
print(list(big))
def running_sum(it):
    t = 0
    for x in it:
        t += x
        yield t
print(list(running_sum(range(1, 8))))
