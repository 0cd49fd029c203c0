def fizz(n):
    match (n % 3, n % 5):
        case (0, 0):
            return "FizzBuzz"
        case (0, _):
            return "Fizz"
        case (_, 0):
            return "Buzz"
        case _:
            return str(n)
print(" ".join(fizz(i) for i in range(1, 16)))
def temp(t):
    match t:
        case int() | float() if t < 0:
            return "freezing"
        case int() | float() if t < 20:
            return "mild"
        case int() | float():
            return "hot"
        case str():
            return "not a number"
print([temp(v) for v in [-3, 0, 19.5, 30, "x"]])
