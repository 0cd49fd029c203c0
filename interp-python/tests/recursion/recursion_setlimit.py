import sys
old = sys.getrecursionlimit()
sys.setrecursionlimit(5000)
print(sys.getrecursionlimit())
def depth(n):
    return n if n == 0 else 1 + depth(n - 1)
print(depth(3000))
try:
    depth(10000)
except RecursionError:
    print("RecursionError at 10000 with limit 5000")
sys.setrecursionlimit(old)
print(sys.getrecursionlimit() == old)
