results = []
for token in ["1", "2", "x", "4", "", "6"]:
    try:
        results.append(int(token))
    except ValueError:
        results.append(None)
        continue
    finally:
        results.append("|")
print(results)
total = 0
i = 0
while True:
    try:
        total += [5, 6, 7][i]
        i += 1
    except IndexError:
        break
print(total, i)
errors = {}
for d in [1, 0, 2, 0]:
    try:
        10 / d
    except ZeroDivisionError as e:
        errors[len(errors)] = str(e)
print(errors)
