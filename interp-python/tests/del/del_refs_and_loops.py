class Tracker:
    def __init__(self, name):
        self.name = name
items = [Tracker("a"), Tracker("b"), Tracker("c")]
first = items[0]
del items[0]
print(first.name, [t.name for t in items])
nums = list(range(10))
i = 0
while i < len(nums):
    if nums[i] % 3 == 0:
        del nums[i]
    else:
        i += 1
print(nums)
d = {k: k * k for k in range(6)}
for k in list(d):
    if d[k] % 2:
        del d[k]
print(d)
for name in ["tmp1", "tmp2"]:
    globals()[name] = len(name)
del tmp1
print("tmp1" in globals(), tmp2)
