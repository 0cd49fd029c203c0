s = "mississippi"
print(s.count("s"), s.count("ss"), s.count("issi"), s.count("i", 5), s.count("p", -3, -1))
print(s.upper().count("S"), s.count("S"))
print(s.index("ss"), s.rindex("ss"), s.find("pp"))
print(s.title(), s.capitalize(), s.swapcase())
print(s.replace("ss", "SS").lower() == s)
print(min(s), max(s), sorted(set(s)))
print(len(s), s[len(s) // 2], s.center(15, "~"))
