lst = list(range(10))
print(lst.pop(), lst.pop(0), lst.pop(3), lst)
lst.remove(5)
print(lst)
del lst[0]
del lst[-2:]
print(lst)
try:
    lst.remove(99)
except ValueError as e:
    print("ValueError:", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
try:
    lst.pop(50)
except IndexError as e:
    print("IndexError:", e)
lst.clear()
print(lst, len(lst))
dup = [1, 2, 1, 2]
dup.remove(2)
print(dup)
