print(not True, not False, not not True, not not 0)
print(not 0, not 1, not "", not "a", not [], not [0])
print(bool("False"), bool("0"), bool(0.0), bool(-0.0))
x = 5
print(not x == 5, not (x == 5), (not x) == 5)
print(not x > 10, not x < 10)
print(not None is None)
print([not i for i in range(3)])
