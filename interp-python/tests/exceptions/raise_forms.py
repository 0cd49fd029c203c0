try:
    raise ValueError
except ValueError as e:
    print("class raised ->", repr(e))
try:
    raise ValueError("inst")
except ValueError as e:
    print("instance raised ->", repr(e))
try:
    raise 42
except TypeError as e:
    print("TypeError:", e)
class NotExc:
    pass
try:
    raise NotExc
except TypeError as e:
    print("TypeError:", e)
try:
    raise
except RuntimeError as e:
    print("RuntimeError:", e)
err = KeyError("reuse")
for i in range(2):
    try:
        raise err
    except KeyError as e:
        print(i, e is err)
