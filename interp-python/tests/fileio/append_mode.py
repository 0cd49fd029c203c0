path = "/tmp/vmkit_fileio_append_mode.txt"
with open(path, "w") as f:
    f.write("start\n")
for i in range(3):
    with open(path, "a") as f:
        f.write(f"append {i}\n")
with open(path) as f:
    print(f.read(), end="")
with open(path, "w") as f:
    f.write("truncated\n")
with open(path) as f:
    lines = f.read().splitlines()
print(lines)
with open(path, "a+") as f:
    f.write("more\n")
    f.seek(0)
    print(repr(f.read()))
