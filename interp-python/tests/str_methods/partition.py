print("key=value".partition("="), "key=value=x".partition("="), "novalue".partition("="))
print("key=value=x".rpartition("="), "novalue".rpartition("="))
print("a.b.c".partition("."), "a.b.c".rpartition("."))
print("".partition("x"), "=".partition("="))
head, sep, tail = "user@example.com".partition("@")
print(head, sep, tail)
try:
    "abc".partition("")
except ValueError as e:
    print("ValueError:", e)
