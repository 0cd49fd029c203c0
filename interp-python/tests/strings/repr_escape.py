samples = ["plain", "it's", 'say "hi"', "both ' and \"", "new\nline", "tab\t", "back\\slash",
           "\x00\x07\x7f", "\r", "é", "\u4e2d", "\x80\xff", "\u200b", "\U0001F600"]
for s in samples:
    print(repr(s), len(s))
print(repr(""), repr("'"), repr('"'))
print(str(["a'b", 'c"d', "\n"]))
print(ascii("é\u4e2d"), ascii("plain"))
