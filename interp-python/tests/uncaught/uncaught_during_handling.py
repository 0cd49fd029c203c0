results = []
for x in [2, 1, 0]:
    results.append(10 // x)
    print("ok", x, results)
print("unreachable")
try:
    pass
finally:
    print("unreachable finally")
