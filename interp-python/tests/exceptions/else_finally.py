def run(x):
    log = []
    try:
        log.append("try")
        if x == "raise":
            raise ValueError("boom")
        if x == "return":
            return log + ["returned"]
    except ValueError:
        log.append("except")
    else:
        log.append("else")
    finally:
        log.append("finally")
    log.append("after")
    return log
print(run("ok"))
print(run("raise"))
print(run("return"))
def fin_override():
    try:
        return "try"
    finally:
        return "finally"
print(fin_override())
def fin_swallow():
    try:
        raise KeyError("x")
    finally:
        return "swallowed"
print(fin_swallow())
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("finally", i)
