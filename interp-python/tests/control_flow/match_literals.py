def describe(x):
    match x:
        case 0:
            return "zero"
        case 1 | 2 | 3:
            return "small"
        case "hello" | "hi":
            return "greeting"
        case None:
            return "none"
        case True:
            return "true"
        case int(n) if n < 0:
            return f"negative {n}"
        case float():
            return "a float"
        case _:
            return "something else"
for v in [0, 2, "hi", None, True, -5, 2.5, 100, "bye", 1.0]:
    print(repr(v), describe(v))
