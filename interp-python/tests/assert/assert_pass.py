x = 5
assert x == 5
assert x > 0, "x must be positive"
assert isinstance(x, int) and x < 10
assert [1]
assert "non-empty"
def checked_sqrt(n):
    assert n >= 0, f"negative input {n}"
    r = int(n ** 0.5)
    assert r * r <= n < (r + 1) ** 2
    return r
print([checked_sqrt(n) for n in [0, 1, 15, 16, 99]])
print("all assertions passed")
