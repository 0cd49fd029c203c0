import sys
print(len(sys.argv))
print(sys.argv[0].endswith("sys_argv.py"))
print(sys.argv[1:])
for i, arg in enumerate(sys.argv[1:], 1):
    print(i, repr(arg), arg.isdigit())
nums = [int(a) for a in sys.argv[1:] if a.lstrip("-").isdigit()]
print("sum of numeric args:", sum(nums))
