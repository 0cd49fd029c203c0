# Naive doubly recursive Fibonacci: calls, integer compares and adds.
# Usage: fib.py [n]
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 34
    for k in range(n - 4, n + 1):
        print(f"fib({k}) = {fib(k)}")


main()
