n = int(input())
total = 0
for i in range(n):
    line = input()
    a, b = map(int, line.split())
    print(f"case {i + 1}: {a} + {b} = {a + b}")
    total += a + b
print("total", total)
