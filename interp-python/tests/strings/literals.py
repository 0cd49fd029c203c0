a = 'single'
b = "double"
c = '''triple
quoted'''
d = """also "triple" """
print(a, b, c, d)
print("tab\there", "nl\\n", 'it\'s', "say \"hi\"")
print("\x41\x42", "\u00e9", "\u4e2d", "\101", "\0" == "\x00")
print(r"raw\n\t", len(r"\n"), len("\n"))
print("implicit " "concat" 'enation')
print(len(""), len("abc"), len(c), len("\\"))
s = ("multi"
     "line"
     " join")
print(s)
print('' == "", 'a' == "a", """x""" == 'x')
