sl = slice(1, 8, 2)
print(sl, sl.start, sl.stop, sl.step)
data = "0123456789"
print(data[sl], data[slice(3)], data[slice(None, None, -1)], data[slice(-3, None)])
print(sl.indices(5), slice(None).indices(4), slice(-1, None, -1).indices(3))
print(slice(2) == slice(None, 2), slice(1, 2) == slice(1, 2, None))
r = range(20)
print(r[sl], list(r[sl]), r[::-5], r[5:2])
