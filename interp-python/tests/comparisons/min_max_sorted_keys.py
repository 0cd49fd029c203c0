people = [("ann", 31), ("bob", 25), ("cid", 31), ("dan", 19)]
print(max(people, key=lambda p: p[1]), min(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(max([], default="none"), min([4], default=0), max(3, 7, 5), min("hello"))
try:
    max([])
except ValueError as e:
    print("ValueError:", e)
print(max([1, 5, 5, 2], key=lambda v: v == 5), sorted("bca", reverse=True))
print(max(("a", 2), ("a", 10)), min([[], [0], [-1, 5]]))
