for s in ["3.14", " -2.5e3 ", "+1E-2", "inf", "-Infinity", "nan", "1_000.5", ".5", "5.", "1e500", "-1e-500", "  10  "]:
    print(repr(s), float(s))
for bad in ["abc", "", "1.2.3", "1e", "--1", "1_", "0x10"]:
    try:
        float(bad)
        print("no error", bad)
    except ValueError as e:
        print("ValueError:", e)
print(float(), float(3), float(True), float(-0))
try:
    float([])
except TypeError as e:
    print("TypeError:", e)
