print("this line is never executed")
def ok():
    return 1
if ok() == 1
    print("missing colon above")
print("end")
