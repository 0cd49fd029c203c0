for exc in [Exception(), Exception("one"), Exception("a", 2), ValueError(42), KeyError("k"), KeyError("a", "b"), IndexError()]:
    print(type(exc).__name__, repr(exc), "|" + str(exc) + "|", exc.args)
e = ValueError("msg")
e.extra = "attached"
print(e.extra, e.args)
e.args = ("changed",)
print(e)
try:
    raise OSError(2, "No such thing")
except OSError as err:
    print(err.errno, err.strerror, err)
try:
    open("/nonexistent_dir_vmkit/file.txt")
except FileNotFoundError as err:
    print(type(err).__name__, err.errno, err.filename)
print(StopIteration(5).value, SystemExit(3).code, SystemExit().code)
