samples = ["123", "12.3", "abc", "abc123", "ABC", " ", "\t\n", "", "a b", "_id", "2x", "class", "½", "²", "Ⅻ", "\x01", "héllo"]
print("sample digit alpha alnum space decimal numeric ident print ascii")
for s in samples:
    print(repr(s), s.isdigit(), s.isalpha(), s.isalnum(), s.isspace(), s.isdecimal(),
          s.isnumeric(), s.isidentifier(), s.isprintable(), s.isascii())
