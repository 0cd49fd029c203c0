# `from m import *` takes m.__all__ when it exists, else the names without a leading '_';
# module-level dir(), locals() and vars() show the module namespace.
before = set(dir())
from shapes_mod import *
print(sorted(set(dir()) - before - {"before"}))
from helper_mod import *
print("GREETING" in dir(), "_private" in dir(), "calls" in globals(), "_private" in locals())
print(sorted(k for k in vars() if not k.startswith("_") and k != "before"))
