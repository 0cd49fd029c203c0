squares_loop = []
for i in range(8):
    if i % 2 == 0:
        squares_loop.append(i * i)
squares_comp = [i * i for i in range(8) if i % 2 == 0]
print(squares_loop == squares_comp, squares_comp)
pairs = {}
for a in "xy":
    for b in "12":
        pairs[a + b] = (a, b)
print(pairs == {a + b: (a, b) for a in "xy" for b in "12"})
words = ["Alpha", "beta", "Gamma", "delta"]
caps = list(filter(str.istitle, words))
print(caps == [w for w in words if w.istitle()], caps)
print(list(map(len, words)) == [len(w) for w in words])
gen = (i for i in range(3))
lst = [i for i in range(3)]
print(type(gen).__name__, type(lst).__name__, list(gen) == lst)
