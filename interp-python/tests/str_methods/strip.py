s = "   padded text \t\n"
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print(repr("xxhixx".strip("x")), repr("xyhiyx".strip("xy")), repr("abcba".lstrip("ab")), repr("abcba".rstrip("ab")))
print(repr("".strip()), repr("   ".strip()), repr("a".strip("a")))
print("prefix_body".removeprefix("prefix_"), "prefix_body".removeprefix("nope"))
print("file.txt".removesuffix(".txt"), "file.txt".removesuffix(".py"), repr("x".removesuffix("x")))
print(repr("\u00a0nbsp\u00a0".strip()), repr("..a..".strip(".")))
print(repr("  a b  ".strip(None)))
