for i in range(10):
    if i == 2:
        continue
    if i == 6:
        break
    print(i, end=" ")
print()
found = None
for row in range(5):
    for col in range(5):
        if row * col == 6:
            found = (row, col)
            break
    if found:
        break
print(found)
out = []
for word in ["alpha", "", "beta", "STOP", "gamma"]:
    if not word:
        continue
    if word == "STOP":
        break
    out.append(word)
print(out)
for x in []:
    break
else:
    print("else runs: no break happened")
