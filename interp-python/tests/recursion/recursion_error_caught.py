import sys
def infinite(n):
    return infinite(n + 1)
try:
    infinite(0)
except RecursionError as e:
    print("caught RecursionError")
    print("maximum recursion depth exceeded" in str(e))
    print(isinstance(e, RuntimeError))
print("program continues")
def depth(n):
    try:
        return depth(n + 1)
    except RecursionError:
        return n
d = depth(0)
print(d > 100, d <= sys.getrecursionlimit())
