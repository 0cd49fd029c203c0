try:
    open("/tmp/vmkit_no_such_dir_xyz/missing.txt")
except FileNotFoundError as e:
    print("FileNotFoundError", e.errno, e.filename)
    print(str(e))
try:
    open("/tmp/vmkit_no_such_file_xyz.txt", "r")
except OSError as e:
    print(type(e).__name__, isinstance(e, OSError))
path = "/tmp/vmkit_fileio_errors.txt"
f = open(path, "w")
f.close()
try:
    f.write("x")
except ValueError as e:
    print("ValueError:", e)
try:
    with open(path) as r:
        r.write("not writable")
except Exception as e:
    print(type(e).__name__ + ":", e)
try:
    open(path, "q")
except ValueError as e:
    print("ValueError:", e)
