try:
    import no_such_module_vmkit_xyz
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e, "| name:", e.name)
try:
    from helper_mod import does_not_exist
except ImportError as e:
    print("ImportError name:", e.name, "| is ModuleNotFoundError:", isinstance(e, ModuleNotFoundError))
    print("cannot import name 'does_not_exist'" in str(e))
try:
    import helper_mod
    helper_mod.missing_attr
except AttributeError as e:
    print("AttributeError:", e)
print(issubclass(ModuleNotFoundError, ImportError))
