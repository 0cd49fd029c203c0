pairs = [
    (ZeroDivisionError, ArithmeticError), (OverflowError, ArithmeticError),
    (KeyError, LookupError), (IndexError, LookupError), (LookupError, Exception),
    (UnboundLocalError, NameError), (RecursionError, RuntimeError),
    (NotImplementedError, RuntimeError), (ModuleNotFoundError, ImportError),
    (FileNotFoundError, OSError), (UnicodeDecodeError, ValueError),
    (StopIteration, Exception), (KeyboardInterrupt, Exception),
    (SystemExit, BaseException), (GeneratorExit, Exception),
    (Exception, BaseException), (TypeError, ValueError), (AssertionError, Exception),
    (AttributeError, Exception), (bool, int),
]
for sub, sup in pairs:
    print(sub.__name__, sup.__name__, issubclass(sub, sup))
print([c.__name__ for c in ZeroDivisionError.__mro__])
print([c.__name__ for c in KeyError.__mro__])
