def t(name, val):
    print("eval", name)
    return val
print(0 or "x", "" and 1, None or [], [] or None, 1 and 2, 0 and 1)
print(t("a", 0) or t("b", 2))
print(t("a", 1) or t("b", 2))
print(t("a", 0) and t("b", 2))
print(t("a", 3) and t("b", 4))
print(t("a", 0) or t("b", 0) or t("c", "last"))
print(1 and 2 and 3, 1 and 0 and 3, 0 or 0 or 0)
x = None
y = x or "default"
print(y)
print(True and not False or False)
