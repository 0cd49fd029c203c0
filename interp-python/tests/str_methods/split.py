print("a b  c\td\ne ".split())
print("a,b,,c,".split(","))
print("a,b,c,d".split(",", 2), "a,b,c,d".rsplit(",", 2))
print("  lead and trail  ".split(), "  lead and trail  ".split(" "))
print("".split(), "".split(","), "abc".split("abc"))
print("a--b--c".split("--"), "one".split(","))
print("a b c d".split(None, 1), "a b c d".rsplit(None, 1))
print("l1\nl2\r\nl3\rl4".splitlines(), "x\ny\n".splitlines(True))
print("".splitlines(), "\n".splitlines())
try:
    "abc".split("")
except ValueError as e:
    print("ValueError:", e)
