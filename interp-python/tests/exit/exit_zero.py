import sys
print("before exit")
sys.exit(0)
print("after exit")
raise RuntimeError("never raised")
