print("before input")
try:
    value = input()
    print("got", repr(value))
except EOFError:
    print("EOFError: stdin is empty")
import sys
print(repr(sys.stdin.read()))
print("after input")
