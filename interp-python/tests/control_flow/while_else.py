n = 0
while n < 3:
    print("n =", n)
    n += 1
else:
    print("while finished normally, n =", n)
m = 10
while m > 0:
    if m == 7:
        print("breaking at", m)
        break
    m -= 1
else:
    print("never printed")
while False:
    pass
else:
    print("else of never-entered while")
i = 0
total = 0
while True:
    i += 1
    if i % 2:
        continue
    if i > 10:
        break
    total += i
print(i, total)
