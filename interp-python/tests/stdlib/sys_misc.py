import sys
print(sys.maxsize == 2 ** 63 - 1, sys.maxsize > 2 ** 31)
print(sys.version_info[0], sys.version_info >= (3, 0), sys.version_info.major == 3)
print(type(sys.getrecursionlimit()).__name__, sys.getrecursionlimit() >= 100)
print("sys" in sys.modules, sys.modules["sys"] is sys)
print(isinstance(sys.path, list), isinstance(sys.version, str))
print(sys.byteorder in ("little", "big"), sys.stdout is not sys.stderr)
print(callable(sys.exit), sys.stdin is not None)
print(sys.float_info.max == 1.7976931348623157e308, sys.float_info.epsilon == 2 ** -52)
