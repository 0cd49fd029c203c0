print(int("42"), int("  -7  "), int("+13"), int("0"))
print(int("ff", 16), int("FF", 16), int("0x1f", 16), int("777", 8), int("101", 2))
print(int("0b101", 0), int("0o17", 0), int("0x1A", 0), int("99", 0))
print(int("1_000_000"), int("z", 36), int("Zz", 36))
print(int(), int(7), int(-0))
for bad in ["", "abc", "1.5", "12a", "0x10", " ", "1__0"]:
    try:
        int(bad)
        print("no error for", repr(bad))
    except ValueError as e:
        print("ValueError:", e)
try:
    int("12", 1)
except ValueError as e:
    print("ValueError:", e)
try:
    int([1])
except TypeError as e:
    print("TypeError:", e)
