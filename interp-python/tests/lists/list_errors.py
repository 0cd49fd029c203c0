lst = [1, 2, 3]
for idx in [3, -4, 100]:
    try:
        lst[idx]
    except IndexError as e:
        print("IndexError:", e)
try:
    lst[3] = 0
except IndexError as e:
    print("IndexError:", e)
try:
    lst["1"]
except TypeError as e:
    print("TypeError:", e)
try:
    lst + (4,)
except TypeError as e:
    print("TypeError:", e)
try:
    lst * 1.5
except TypeError as e:
    print("TypeError:", e)
print(lst[-3], lst[2], lst[1:100], lst[100:])
