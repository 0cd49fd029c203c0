import sys
def work():
    try:
        print("working")
        sys.exit(4)
    finally:
        print("cleanup in finally")
try:
    work()
except ValueError:
    print("not a ValueError")
print("unreachable")
