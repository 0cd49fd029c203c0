s = "stream"
for ch in s:
    print(ch, end=" ")
print()
print(list(s), tuple("ab"))
print("".join(reversed(s)), s[::-1])
for i, ch in enumerate("xyz", 1):
    print(i, ch)
print(sorted(s), "".join(sorted(s, reverse=True)))
it = iter("ab")
print(next(it), next(it), next(it, "done"))
print(set("aabbc") == {"a", "b", "c"}, len(set("mississippi")))
print([c * 2 for c in "abc"], list(map(ord, "AZ")))
