def documented(a, b=1, *args, c, **kw):
    """Adds things."""
    local = a + b
    return local
print(documented.__name__, documented.__doc__)
print(documented.__code__.co_argcount, documented.__code__.co_kwonlyargcount)
print(documented.__defaults__, documented.__kwdefaults__)
def nodoc():
    pass
print(nodoc.__doc__, nodoc.__module__)
documented.custom = "attached"
print(documented.custom, hasattr(documented, "custom"), hasattr(nodoc, "custom"))
print(type(documented).__name__, callable(documented))
