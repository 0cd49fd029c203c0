import sys
print("doing some work")
total = sum(range(10))
print("total", total)
if total != 0:
    sys.exit(3)
print("not printed")
