def find(items, target):
    for i, x in enumerate(items):
        if x == target:
            print("found at", i)
            break
    else:
        print("not found")
find([1, 2, 3], 2)
find([1, 2, 3], 9)
find([], 1)
for x in iter([]):
    print("never")
else:
    print("empty loop else")
it = iter(range(10))
for x in it:
    if x == 3:
        break
for y in it:
    if y > 5:
        break
print(x, y, list(it))
