def expensive():
    print("message computed")
    return "expensive message"
assert True, expensive()
print("message not computed for passing assert")
try:
    assert 0, expensive()
except AssertionError as e:
    print("caught", e)
def validate(items):
    for i, item in enumerate(items):
        assert item is not None, f"item {i} is None"
    return len(items)
for data in [[1, 2], [1, None, 3]]:
    try:
        print("valid", validate(data))
    except AssertionError as e:
        print("invalid:", e)
