import helper_mod
print(helper_mod.greet("world"))
print(helper_mod.add(2), helper_mod.add(2, 3))
print(helper_mod.GREETING, helper_mod._private)
c = helper_mod.Counter()
c.tick()
print(c.tick(), type(c).__name__, helper_mod.calls)
print(helper_mod.__name__, helper_mod.__doc__)
