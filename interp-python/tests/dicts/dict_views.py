d = {"a": 1, "b": 2, "c": 3}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it)
print(len(k), "b" in k, 2 in v, ("c", 3) in it, ("c", 4) in it)
print(sorted(k & {"a", "z"}), sorted(k | {"z"}), sorted(k - {"a"}), sorted(k ^ {"a", "q"}))
print(sorted(it & {("a", 1), ("b", 9)}))
d["d"] = 4
print(list(k), list(v), list(it)[-1])
print(k == {"a", "b", "c", "d"}, list(d.values()) == [1, 2, 3, 4])
