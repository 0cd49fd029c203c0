lst = [4, 2, 7]
cp = lst.copy()
cp.append(1)
print(lst, cp)
lst.reverse()
print(lst, list(reversed(lst)))
print(sum(lst), min(lst), max(lst), len(lst))
print(7 in lst, 8 not in lst)
lst[1] = "x"
lst[-1] = None
print(lst)
lst[:] = [9, 8]
print(lst)
print([1, 2, 3].index(3), [[1], [2]].index([2]))
try:
    lst.index(100)
except ValueError as e:
    print("ValueError:", e)
a = [1, 2]
a *= 3
print(a)
