words = ["hello", "HELLO", "Hello World", "hELLO wORLD", "they're bill's", "123abc", "", "ÀÉÎ"]
for w in words:
    print(repr(w), w.upper(), w.lower(), w.capitalize(), w.title(), w.swapcase())
for w in words:
    print(repr(w), w.isupper(), w.islower(), w.istitle())
print("Straße".casefold(), "ABC".casefold())
