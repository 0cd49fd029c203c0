d = {"a": 1, (1, 2): "t", 3: "three"}
for k in ["b", (2, 1), 4, None, "a"]:
    try:
        print("found", d[k])
    except KeyError as e:
        print("KeyError:", e, repr(e.args[0]))
try:
    d[[1]] = 5
except TypeError as e:
    print("TypeError:", e)
try:
    {}["x"]
except LookupError as e:
    print(type(e).__name__, isinstance(e, KeyError))
try:
    del d["nope"]
except KeyError as e:
    print("del KeyError:", e)
