d = {"x": 1, "y": 2}
print(d.get("x"), d.get("z"), d.get("z", "dflt"))
print(d.setdefault("x", 100), d.setdefault("w", 5), d)
print(d.pop("y"), d.pop("nope", None), d)
d.update({"a": 7}, b=8)
d.update([("c", 9)])
print(d)
print(d.popitem(), d)
c = d.copy()
c["x"] = -1
print(d["x"], c["x"])
d.clear()
print(d, len(d))
try:
    d.popitem()
except KeyError as e:
    print("KeyError:", e)
try:
    d.pop("missing")
except KeyError as e:
    print("KeyError:", e)
