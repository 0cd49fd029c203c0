import sys
print(len(sys.argv), sys.argv[1:])
print(type(sys.argv).__name__, isinstance(sys.argv[0], str))
args = sys.argv[1:]
if not args:
    print("no arguments given")
name = args[0] if args else "default"
print(name)
