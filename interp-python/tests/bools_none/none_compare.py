print(None == 0, None == "", None == [], None is None)
def attempt(label, f):
    try:
        f()
        print(label, "no error")
    except TypeError as e:
        print(label, "TypeError:", e)
attempt("<", lambda: None < 1)
attempt(">", lambda: None > 1)
attempt("<=", lambda: None <= "x")
attempt(">=", lambda: [] >= None)
attempt("sorted", lambda: sorted([3, None, 1]))
print(sorted([3, None, 1], key=lambda v: -1 if v is None else v))
print(None != None, [None] == [None])
