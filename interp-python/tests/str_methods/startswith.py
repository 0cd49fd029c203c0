s = "unittest_example.py"
print(s.startswith("unit"), s.startswith("test"), s.endswith(".py"), s.endswith(".txt"))
print(s.startswith(("a", "u")), s.endswith((".c", ".h")), s.endswith(("x", ".py")))
print(s.startswith("test", 4), s.startswith("test", 4, 7), s.endswith("unit", 0, 4))
print(s.startswith(""), "".startswith(""), "".endswith("a"))
print(s.endswith("example", 0, -3), s.startswith("py", -2))
try:
    s.startswith(["unit"])
except TypeError as e:
    print("TypeError:", e)
