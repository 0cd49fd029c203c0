import sys
status = 0
for item in ["1", "2", "x", "4"]:
    try:
        print(int(item) * 10)
    except ValueError:
        print("bad item", repr(item))
        status = 2
sys.stdout.flush()
sys.exit(status)
