cases = [
    ("%d %d", (1,)),
    ("%d", (1, 2)),
    ("%d", ("x",)),
    ("%f", ("x",)),
    ("%(a)s", (1,)),
    ("%z", (1,)),
    ("%c", ("ab",)),
]
for fmt, args in cases:
    try:
        print(fmt % args)
    except (TypeError, ValueError, KeyError) as e:
        print(type(e).__name__ + ":", e)
try:
    "%(missing)s" % {"a": 1}
except KeyError as e:
    print("KeyError:", e)
