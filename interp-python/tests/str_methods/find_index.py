s = "hello world, hello python"
print(s.find("hello"), s.find("hello", 1), s.rfind("hello"), s.find("hello", 0, 5), s.find("hello", 0, 4))
print(s.find("o"), s.rfind("o"), s.find("o", -6), s.rfind("o", 0, 10))
print(s.index("world"), s.rindex("l"), s.find("xyz"), s.rfind("xyz"))
for sub in ["python", "Python", "", "n"]:
    print(repr(sub), s.find(sub), s.rfind(sub), s.count(sub))
for args in [("xyz",), ("hello", 20)]:
    try:
        s.index(*args)
    except ValueError as e:
        print("ValueError:", e)
try:
    s.rindex("zz")
except ValueError as e:
    print("ValueError:", e)
