s = {1, 2}
for op in ["pop_empty", "remove_missing", "unhashable"]:
    try:
        if op == "pop_empty":
            set().pop()
        elif op == "remove_missing":
            s.remove(9)
        else:
            s.add([1])
    except (KeyError, TypeError) as e:
        print(op, type(e).__name__ + ":", e)
print(s.discard(9), sorted(s))
print(sorted(s.union()), s.intersection() == s, s.union() is s)
