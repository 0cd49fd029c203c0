def grade(score):
    if score >= 90:
        return "A"
    elif score >= 80:
        return "B"
    elif score >= 70:
        return "C"
    else:
        return "F"
print([grade(s) for s in [95, 90, 85, 79, 70, 10]])
x = 15
if x > 10:
    if x > 20:
        print("huge")
    else:
        print("medium")
label = "even" if x % 2 == 0 else "odd"
print(label)
print("a" if 0 else "b" if "" else "c")
if []:
    print("no")
elif {}:
    print("no")
elif 0.0:
    print("no")
else:
    print("all falsy")
