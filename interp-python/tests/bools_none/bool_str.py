print(str(True), repr(False), int(True), float(False))
print(True == 1, hash(True) == hash(1), hash(False) == 0)
d = {True: "a", 1: "b", 1.0: "c"}
print(d, len(d))
d2 = {0: "zero", False: "false"}
print(d2)
s = {True, 1, False, 0}
print(len(s))
print(f"{True}", "%s %d" % (True, True), "{}".format(False))
print(str(True).upper(), len(str(False)))
print(bool("True"), bool(""))
