s = {3, 1, 2}
print(sorted(s), len(s), 2 in s, 5 not in s)
s.add(4)
s.add(1)
print(sorted(s))
s.remove(3)
s.discard(100)
print(sorted(s))
try:
    s.remove(100)
except KeyError as e:
    print("KeyError:", e)
print(set(), sorted(set([1, 1, 2])), sorted(set("hello")), len(set(range(100)) ))
p = s.pop()
print(p in {1, 2, 4}, len(s))
s.clear()
print(s, len(s))
print({1}, {0}, type({}).__name__, type(set()).__name__)
