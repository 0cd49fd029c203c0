a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
lst = [10, 20, 30]
lst[0], lst[2] = lst[2], lst[0]
print(lst)
i = 0
arr = [5, 6]
i, arr[i] = 1, 99
print(i, arr)
x = [0, 1]
x[0], x[1] = x[1], x[0]
print(x)
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
print([fib(n) for n in range(10)])
