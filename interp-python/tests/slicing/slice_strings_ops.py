word = "racecar"
print(word == word[::-1], "hello"[::-1] == "hello")
def rotate(s, k):
    k %= len(s)
    return s[k:] + s[:k]
print(rotate("abcdef", 2), rotate("abcdef", -1), rotate("abcdef", 8))
line = "key: value with: colon"
i = line.index(":")
print(repr(line[:i]), repr(line[i + 1:].strip()))
print([("abcdefgh"[i:i + 3]) for i in range(0, 8, 3)])
s = "0123456789"
print(s[2:-2][::2], s[::2][::-1], s[-3:][:1])
