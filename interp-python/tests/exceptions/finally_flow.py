def loop_break():
    out = []
    for i in range(5):
        try:
            if i == 2:
                break
            out.append(i)
        finally:
            out.append(f"f{i}")
    return out
print(loop_break())
def nested_finally():
    out = []
    try:
        try:
            out.append("inner try")
            return out
        finally:
            out.append("inner finally")
    finally:
        out.append("outer finally")
print(nested_finally())
def exc_in_finally():
    try:
        raise ValueError("original")
    finally:
        raise KeyError("from finally")
try:
    exc_in_finally()
except KeyError as e:
    print("KeyError", e, "context:", repr(e.__context__))
