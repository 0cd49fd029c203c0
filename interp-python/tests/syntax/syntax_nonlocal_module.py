total = 0
def bump():
    global total
    total += 1
nonlocal unknown_name
print(total)
