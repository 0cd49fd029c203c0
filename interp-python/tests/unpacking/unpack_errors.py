def attempt(f):
    try:
        f()
        print("ok")
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)
def two_from_three():
    a, b = [1, 2, 3]
def three_from_two():
    a, b, c = [1, 2]
def star_too_few():
    a, b, *c = [1]
def not_iterable():
    a, b = 5
def ok_case():
    a, *b = [1]
attempt(two_from_three)
attempt(three_from_two)
attempt(star_too_few)
attempt(not_iterable)
attempt(ok_case)
