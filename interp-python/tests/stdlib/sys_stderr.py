import sys
print("stdout line 1")
sys.stderr.write("stderr line 1\n")
print("to stderr via print", file=sys.stderr)
print("stdout line 2")
n = sys.stderr.write("abc\n")
print("stderr write returned", n)
sys.stderr.flush()
print("done")
