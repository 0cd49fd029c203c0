parts = []
for i in range(10):
    parts.append(str(i * i))
joined = ",".join(parts)
print(joined)
acc = ""
for p in parts:
    acc = acc + p + ","
acc = acc[:-1]
print(acc == joined, len(acc))
words = "the quick brown fox jumps over the lazy dog".split()
print(" ".join(w.capitalize() for w in words))
print("-".join(["single"]), repr("-".join([])))
print("".join(chr(ord("a") + i) for i in range(26)))
table = "\n".join("%2d: %s" % (i, "#" * i) for i in range(1, 5))
print(table)
