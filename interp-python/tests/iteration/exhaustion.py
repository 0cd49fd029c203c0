nums = [1, 2, 3, 4, 5]
it = iter(nums)
print(next(it), list(it), list(it))
gen = (x * 2 for x in nums)
print(sum(gen), sum(gen))
m = map(str, nums)
print(list(m), list(m))
z = zip("abc", nums)
print(next(z), list(z), list(z))
it2 = iter(nums)
for x in it2:
    if x == 2:
        break
print(list(it2))
it3 = iter(nums)
print(3 in it3, list(it3))
e = enumerate("xy")
print(list(e), list(e))
