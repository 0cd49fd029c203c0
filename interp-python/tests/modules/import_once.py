import sys
import helper_mod
import helper_mod
import helper_mod as h
from helper_mod import greet
print(h is helper_mod, greet is helper_mod.greet)
print("helper_mod" in sys.modules, sys.modules["helper_mod"] is h)
h.GREETING = "hi"
print(helper_mod.greet("shared"))
print(greet("still shared"), helper_mod.calls)
