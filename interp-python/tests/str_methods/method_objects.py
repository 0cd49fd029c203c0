up = str.upper
print(up("abc"), list(map(str.strip, [" a ", "b  "])))
s = "x,y"
sp = s.split
print(sp(","), sp(",", 0))
print(str.join("-", ["a", "b"]), str.replace("aaa", "a", "b", 1))
print(str.__len__("four"), "ab".__contains__("a"), "ab".__add__("cd"), "ab".__mul__(2))
print(str.__getitem__("xyz", 1), "b".__lt__("a"), "a".__eq__("a"))
print(hasattr("s", "upper"), callable("s".upper), type("s".upper).__name__)
