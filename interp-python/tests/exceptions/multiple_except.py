def classify(thunk):
    try:
        thunk()
    except (IndexError, KeyError) as e:
        return "lookup:" + type(e).__name__
    except ArithmeticError as e:
        return "arith:" + type(e).__name__
    except Exception as e:
        return "other:" + type(e).__name__
    else:
        return "no error"
tests = [lambda: [][1], lambda: {}[1], lambda: 1 // 0, lambda: 2.0 ** 5000, lambda: int("q"), lambda: None.x, lambda: 1]
for t in tests:
    print(classify(t))
try:
    raise SystemExit(5)
except Exception:
    print("not here")
except BaseException as e:
    print("BaseException caught:", type(e).__name__, e.code)
