for w in ["a", "abc", "abcdef"]:
    print("[" + w.center(7) + "]", "[" + w.ljust(5, "*") + "]", "[" + w.rjust(5, "-") + "]")
print("[" + "ab".center(5) + "]", "[" + "ab".center(6, ".") + "]", "[" + "abc".center(6) + "]")
print("42".zfill(5), "-42".zfill(5), "+7".zfill(4), "abc".zfill(5), "12345".zfill(3), "".zfill(2))
print(repr("a\tb\tc".expandtabs()), repr("a\tbc\td".expandtabs(4)), repr("\t".expandtabs(2)))
try:
    "x".center(5, "ab")
except TypeError as e:
    print("TypeError:", e)
