import sys
def main():
    print("main running")
    return None
sys.exit(main())
print("unreachable")
