def catcher():
    while True:
        try:
            yield "ready"
        except ValueError as e:
            print("caught in gen:", e)
        except KeyError:
            return "stopped by KeyError"
c = catcher()
print(next(c))
print(c.throw(ValueError("v1")))
try:
    c.throw(KeyError("k"))
except StopIteration as e:
    print("StopIteration with", e.value)
fresh = catcher()
try:
    fresh.throw(ValueError("before start"))
except ValueError as e:
    print("unstarted generator raised:", e)
print(list(fresh))
