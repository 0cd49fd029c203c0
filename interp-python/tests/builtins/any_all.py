print(any([]), all([]), any([0, 0, 1]), all([1, 1, 0]), any("x"), all(""))
print(any([None, "", 0.0]), all([1, "a", [0]]))
print(any(x > 3 for x in range(5)), all(x < 5 for x in range(5)))
calls = []
def check(v):
    calls.append(v)
    return v > 2
print(any(check(v) for v in [1, 3, 5]), calls)
calls.clear()
print(all(check(v) for v in [3, 1, 5]), calls)
print(any({0: "a"}), all({1: 0}), any({0, ""}), all(range(1, 4)))
