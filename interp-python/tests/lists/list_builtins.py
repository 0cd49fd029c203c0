nums = [3, -1, 4, -1, 5, -9, 2, 6]
print(sorted(nums), sorted(nums, key=abs), sorted(nums, reverse=True))
print(list(reversed(nums)), nums[::-1] == list(reversed(nums)))
print(list(enumerate(nums[:3])), list(zip(nums, "abc")))
print(list(map(abs, nums)), list(filter(lambda x: x > 0, nums)))
print(any(x > 5 for x in nums), all(x > -10 for x in nums), all([]), any([]))
print(max(nums, key=abs), min(nums, key=lambda x: (x % 3, x)))
print(sum(nums, 100), len(nums))
