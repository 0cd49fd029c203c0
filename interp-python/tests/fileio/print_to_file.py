path = "/tmp/vmkit_fileio_print_to_file.txt"
with open(path, "w") as f:
    print("hello", "file", sep=", ", file=f)
    print(1, 2, 3, file=f, end=";\n")
    print(file=f)
    f.write("tail")
with open(path) as f:
    text = f.read()
print(repr(text))
print(text.count("\n"), text.splitlines())
