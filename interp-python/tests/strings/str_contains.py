s = "banana"
print("an" in s, "nab" in s, "" in s, "banana" in s, "bananas" in s)
print(s.find(""), s.rfind(""), s.count(""), "".count(""))
print(s.count("a"), s.count("an"), s.count("ana"), "aaaa".count("aa"))
print(s.find("an"), s.find("an", 2), s.find("an", 4), s.rfind("an"), s.find("x"))
print(s.index("n"), s.rindex("n"))
print(s.count("a", 2), s.count("a", 2, 4))
try:
    s.index("z")
except ValueError as e:
    print("ValueError:", e)
try:
    1 in s
except TypeError as e:
    print("TypeError:", e)
