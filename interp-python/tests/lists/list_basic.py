lst = [3, 1, 4, 1, 5]
print(lst, len(lst), lst[0], lst[-1])
lst.append(9)
lst.insert(0, 2)
lst.insert(100, 6)
lst.insert(-1, 7)
print(lst)
lst.extend([8, 8])
lst += [0]
print(lst, lst.count(8), lst.count(42))
print(lst.index(1), lst.index(1, 3), lst.index(8))
print([] == [], [1, 2] + [3], [0] * 4, [[]] * 2, list("ab"), list(range(3)))
print([1, [2, [3, []]]], len([[], []]))
