for f in [3.9, -3.9, 0.5, -0.5, 1e10, -0.0, 2.0, 123456.789]:
    print(f, int(f))
print(int(True), int(False))
print(int(1e20))
try:
    int(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
try:
    int(float("nan"))
except ValueError as e:
    print("ValueError:", e)
