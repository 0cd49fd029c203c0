path = "/tmp/vmkit_fileio_seek_tell.txt"
with open(path, "w") as f:
    f.write("0123456789\nabcdef\n")
    print(f.tell())
with open(path) as f:
    print(f.read(3), f.tell())
    f.seek(0)
    print(repr(f.readline()), f.tell())
    f.seek(11)
    print(repr(f.read()))
    print(repr(f.read()), repr(f.readline()))
with open(path, "r+") as f:
    f.seek(2)
    f.write("XY")
with open(path) as f:
    print(repr(f.read()))
