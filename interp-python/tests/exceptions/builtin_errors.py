import math
none = None
thunks = [
    ("attr", lambda: (1).nope),
    ("name", lambda: nope_name),
    ("type_add", lambda: 1 + "s"),
    ("type_call", lambda: none()),
    ("type_sub", lambda: none[0]),
    ("value", lambda: int("1.5")),
    ("index", lambda: (1,)[5]),
    ("key", lambda: {"a": 1}["b"]),
    ("zero", lambda: 5 % 0),
    ("overflow", lambda: math.exp(1000)),
    ("math_domain", lambda: math.sqrt(-1)),
    ("unhashable", lambda: {[]: 1}),
    ("str_attr", lambda: "s".nope()),
    ("iter", lambda: list(5)),
    ("chr", lambda: chr(-1)),
    ("len", lambda: len(5)),
]
for label, t in thunks:
    try:
        t()
        print(label, "no error")
    except Exception as e:
        print(label, type(e).__name__ + ":", e)
