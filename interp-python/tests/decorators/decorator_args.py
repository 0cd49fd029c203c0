def repeat(n):
    def deco(fn):
        def wrapper(*a, **k):
            return [fn(*a, **k) for _ in range(n)]
        return wrapper
    return deco
@repeat(3)
def hello(name):
    return "hi " + name
print(hello("bo"))
def prefix(p, sep=": "):
    def deco(fn):
        def wrapper(msg):
            return p + sep + fn(msg)
        return wrapper
    return deco
@prefix("INFO")
def info(m):
    return m
@prefix("WARN", sep=" - ")
def warn(m):
    return m.upper()
print(info("ok"), "|", warn("careful"))
