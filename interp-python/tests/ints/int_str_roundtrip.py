nums = [0, 7, -7, 123456789, -987654321, 2**31, -2**31, 2**63 - 1]
for n in nums:
    s = str(n)
    print(s, len(s), int(s) == n, repr(n) == s)
print(str(10).zfill(5), str(-10).zfill(5))
print(int("00012"), int("-00012"), int("+0"))
print(" ".join(str(i) for i in range(-3, 4)))
