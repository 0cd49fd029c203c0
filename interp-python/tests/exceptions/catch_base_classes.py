def trigger(kind):
    if kind == "key":
        {}["x"]
    if kind == "zero":
        1 / 0
    if kind == "assert":
        assert False, "assertion msg"
    if kind == "unicode":
        b"\xff".decode("utf-8")
    if kind == "notimpl":
        raise NotImplementedError("todo")
for kind in ["key", "zero", "assert", "unicode", "notimpl"]:
    try:
        trigger(kind)
    except LookupError as e:
        print(kind, "LookupError branch", repr(e))
    except ArithmeticError as e:
        print(kind, "ArithmeticError branch", repr(e))
    except ValueError as e:
        print(kind, "ValueError branch", type(e).__name__)
    except RuntimeError as e:
        print(kind, "RuntimeError branch", repr(e))
    except Exception as e:
        print(kind, "Exception branch", repr(e))
