import helper_mod
import shapes_mod
names = sorted(n for n in dir(helper_mod) if not n.startswith("__"))
print(names)
print(hasattr(helper_mod, "greet"), hasattr(helper_mod, "nope"), callable(helper_mod.greet))
helper_mod.new_attr = "set from outside"
print(helper_mod.new_attr, getattr(helper_mod, "GREETING"))
print(shapes_mod.__all__, type(shapes_mod).__name__)
g = vars(shapes_mod)
print("Square" in g, g["PI"])
