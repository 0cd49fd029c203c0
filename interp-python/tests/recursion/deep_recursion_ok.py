def count_down(n):
    if n == 0:
        return 0
    return 1 + count_down(n - 1)
print(count_down(900))
def sum_list(lst, i=0):
    if i == len(lst):
        return 0
    return lst[i] + sum_list(lst, i + 1)
print(sum_list(list(range(800))))
def build(n):
    return [] if n == 0 else [build(n - 1)]
nested = build(500)
depth = 0
while nested:
    nested = nested[0]
    depth += 1
print(depth)
