class Ctx:
    def __init__(self, name, suppress=False):
        self.name, self.suppress = name, suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None, exc)
        return self.suppress
with Ctx("a") as v:
    print("body", v)
with Ctx("outer"), Ctx("inner") as w:
    print("nested body", w)
with Ctx("sup", suppress=True):
    raise ValueError("swallowed")
print("after suppress")
try:
    with Ctx("nosup"):
        raise KeyError("k")
except KeyError as e:
    print("propagated", e)
def early():
    with Ctx("ret"):
        return "returned"
print(early())
