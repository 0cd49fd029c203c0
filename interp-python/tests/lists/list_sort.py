lst = [5, 2, 9, 1, 5, 6]
lst.sort()
print(lst)
lst.sort(reverse=True)
print(lst)
words = ["banana", "kiwi", "Apple", "cherry", "fig"]
print(sorted(words), sorted(words, key=len), sorted(words, key=str.lower))
words.sort(key=lambda w: (len(w), w))
print(words)
pairs = [(1, "b"), (0, "z"), (1, "a"), (0, "a")]
print(sorted(pairs), sorted(pairs, key=lambda p: p[1]))
stab = [("x", 2), ("y", 1), ("z", 2), ("w", 1)]
print(sorted(stab, key=lambda p: p[1]), sorted(stab, key=lambda p: p[1], reverse=True))
r = [3, 1, 2]
print(r.sort(), r, r.reverse(), r)
try:
    [1, "a"].sort()
except TypeError as e:
    print("TypeError:", e)
