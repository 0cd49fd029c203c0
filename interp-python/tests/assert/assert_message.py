def attempt(v):
    try:
        assert v > 0, f"value {v} is not positive"
        return "ok"
    except AssertionError as e:
        return f"AssertionError: {e} | args={e.args}"
print(attempt(1))
print(attempt(-2))
try:
    assert False
except AssertionError as e:
    print("no message:", repr(e), e.args)
try:
    assert 1 == 2, ("tuple", "message")
except AssertionError as e:
    print("tuple message:", e.args)
try:
    assert [], 42
except AssertionError as e:
    print("int message:", e.args[0] + 1)
