print(format(3.14159, ".2f"), format(255, "x"), format(255, "#010b"))
print("[" + format("abc", ">10") + "]", "[" + format("abc", "") + "]")
print(format(True), format(None), format(1e100), format(12, ""), format(-0.0))
print(format(1234567.5, ",.1f"), format(0.000001234, ".3g"), format(123, "+"))
class Money:
    def __init__(self, v):
        self.v = v
    def __format__(self, spec):
        if spec == "usd":
            return "$%.2f" % self.v
        return format(self.v, spec)
m = Money(12.5)
print(format(m, "usd"), f"{m:usd}", "{:usd}".format(m), f"{m:08.3f}")
try:
    format("abc", "d")
except ValueError as e:
    print("ValueError:", e)
try:
    format(3, "s")
except ValueError as e:
    print("ValueError:", e)
