gen = (x * x for x in range(5))
print(type(gen).__name__, list(gen), list(gen))
print(sum(x for x in range(101)), max(len(w) for w in ["a", "abc", "ab"]))
print(list(x for x in range(10) if x % 3 == 0))
print(list((a, b) for a in range(3) for b in range(a)))
items = [1, 2, 3]
g2 = (i * 10 for i in items)
items.append(4)
print(list(g2))
data = [4, 5]
g3 = (x for x in data)
data = [99]
print(list(g3))
print(any(x > 3 for x in [1, 5]), all(x for x in []), tuple(c.upper() for c in "ab"))
print(sorted((x % 4 for x in range(9)), reverse=True))
