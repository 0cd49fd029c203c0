import sys
n = sys.stdout.write("hello")
sys.stdout.write(" world\n")
print("returned", n)
sys.stdout.write("a" + "b" * 3 + "\n")
written = sum(sys.stdout.write(s) for s in ["x", "y", "z", "\n"])
print(written)
out = sys.stdout
out.write("via alias\n")
print("mixed", end=" ")
sys.stdout.write("with write\n")
sys.stdout.flush()
print(sys.stdout.write(""))
