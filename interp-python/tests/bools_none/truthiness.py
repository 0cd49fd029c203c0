values = [0, 1, -1, 0.0, 0.1, "", " ", "0", [], [0], (), (None,), {}, {0: 0}, set(), {0}, None, range(0), range(1), b"", b"\x00"]
for v in values:
    print(repr(v), bool(v), "T" if v else "F")
class Empty:
    pass
print(bool(Empty()))
if not []:
    print("empty list is falsy")
while 0:
    print("never")
print(not None, not 5)
