text = """first line
  second line
third line
"""
lines = text.splitlines()
print(len(lines), lines)
print(text.count("\n"), repr(text[-1]))
long = "one " \
       "two " \
       "three"
print(long)
x = 1 + \
    2
print(x)
block = """\
no leading newline
end"""
print(repr(block))
for i, line in enumerate(text.split("\n")):
    print(i, repr(line.strip()))
