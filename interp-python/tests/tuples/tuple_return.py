def minmax(seq):
    return min(seq), max(seq)
lo, hi = minmax([4, 8, 1, 9])
print(lo, hi, minmax("hello"))
def divmod2(a, b):
    return a // b, a % b
q, r = divmod2(17, 5)
print(q, r, divmod2(-17, 5))
res = minmax([2])
print(res, type(res).__name__)
def swap(a, b):
    return b, a
print(swap(1, 2), swap(*swap(1, 2)))
def nothing():
    return ()
print(nothing(), len(nothing()))
