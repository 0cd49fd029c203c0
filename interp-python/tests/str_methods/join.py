print(",".join(["a", "b", "c"]), "".join(["x", "y"]), " - ".join("abc"))
print("|".join(("t1", "t2")), ":".join(str(i) for i in range(4)))
print(", ".join(sorted({"z", "a", "m"})))
print(repr("x".join([])), "x".join(["only"]))
d = {"k1": 1, "k2": 2}
print("&".join(d), "&".join(f"{k}={v}" for k, v in d.items()))
try:
    ",".join(["a", 1, "c"])
except TypeError as e:
    print("TypeError:", e)
try:
    ",".join(5)
except TypeError as e:
    print("TypeError:", e)
