x = 1000
y = 999 + 1
print(x == y, x != y)
lst = [x]
print(x in lst, y in lst)
nan = float("nan")
items = [nan]
print(nan in items, nan == items[0], items.count(nan), items.index(nan))
a = [1, 2]
print(a in [[1, 2]], [1, 2] in [a], a is [a][0])
class Always:
    def __eq__(self, other):
        return True
al = Always()
print(al == 1, al in [1, 2], 5 in [al], [al].count(0), al != 1)
