def todo():
    pass
class Empty:
    pass
def stub():
    ...
for _ in range(3):
    pass
if True:
    pass
else:
    pass
print(todo(), stub(), Empty.__name__)
print(..., type(...).__name__, Ellipsis is ..., repr(Ellipsis))
while False:
    pass
try:
    pass
except Exception:
    pass
finally:
    print("finally after pass")
