class ValidationError(Exception):
    def __init__(self, field, msg):
        super().__init__(f"{field}: {msg}")
        self.field = field
        self.msg = msg
class RangeError(ValidationError):
    def __init__(self, field, lo, hi):
        super().__init__(field, f"must be in [{lo}, {hi}]")
        self.lo, self.hi = lo, hi
def check(age):
    if not isinstance(age, int):
        raise ValidationError("age", "not an int")
    if not 0 <= age <= 150:
        raise RangeError("age", 0, 150)
    return age
for v in [30, "x", 200]:
    try:
        print("ok", check(v))
    except RangeError as e:
        print("RangeError", e, e.lo, e.hi, e.field)
    except ValidationError as e:
        print("ValidationError", e, e.args, e.msg)
class Silent(Exception):
    def __str__(self):
        return "custom str"
try:
    raise Silent(1, 2)
except Exception as e:
    print(e, e.args, repr(e))
print(issubclass(RangeError, Exception), RangeError.__mro__[1].__name__)
