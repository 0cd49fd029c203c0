path = "/tmp/vmkit_fileio_with_file.txt"
with open(path, "w") as f:
    print(f.closed, f.mode, f.name == path)
    f.write("abc\n")
print(f.closed)
try:
    f.write("more")
except ValueError as e:
    print("ValueError:", e)
try:
    with open(path) as g:
        data = g.read()
        raise RuntimeError("inside with")
except RuntimeError as e:
    print("caught", e, "closed:", g.closed, repr(data))
with open(path, "w") as a, open(path + ".2", "w") as b:
    a.write("A")
    b.write("B")
with open(path) as a, open(path + ".2") as b:
    print(a.read() + b.read())
