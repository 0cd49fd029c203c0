import math
tests = [
    ("sqrt(-1)", lambda: math.sqrt(-1)),
    ("log(0)", lambda: math.log(0)),
    ("log(-5)", lambda: math.log(-5)),
    ("factorial(-1)", lambda: math.factorial(-1)),
    ("factorial(1.5)", lambda: math.factorial(1.5)),
    ("exp(1000)", lambda: math.exp(1000)),
    ("acos(2)", lambda: math.acos(2)),
    ("isqrt(-1)", lambda: math.isqrt(-1)),
    ("comb(-1, 2)", lambda: math.comb(-1, 2)),
    ("sqrt('x')", lambda: math.sqrt("x")),
]
for label, t in tests:
    try:
        print(label, "=", t())
    except (ValueError, OverflowError, TypeError) as e:
        print(label, type(e).__name__ + ":", e)
print(math.sqrt(0), math.log(1), math.pow(0, 0))
