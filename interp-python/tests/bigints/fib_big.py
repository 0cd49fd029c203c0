def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
for n in [10, 50, 93, 94, 100, 200, 300]:
    print(n, fib(n))
f = fib(1000)
print(len(str(f)), f % 1000000007)
print(fib(300) * fib(301) - fib(302) * fib(299))
