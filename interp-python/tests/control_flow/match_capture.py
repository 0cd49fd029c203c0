class Color:
    RED = "red"
    GREEN = "green"
def classify(value):
    match value:
        case Color.RED:
            return "it is red"
        case Color.GREEN:
            return "it is green"
        case [int() as a, int() as b] as pair:
            return f"int pair {pair} sum={a + b}"
        case (str() | bytes()) as text:
            return f"text-like {text!r}"
        case {"id": int(ident)}:
            return f"record {ident}"
        case other:
            return f"captured {other!r}"
for v in ["red", "green", [1, 2], [1, "x"], "blue", b"raw", {"id": 7}, {"id": "x"}, 3.5]:
    print(classify(v))
