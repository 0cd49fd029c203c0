nums = range(-5, 6)
print([n for n in nums if n > 0 and n % 2])
print(["fizzbuzz" if n % 15 == 0 else "fizz" if n % 3 == 0 else "buzz" if n % 5 == 0 else n for n in range(1, 16)])
print([abs(n) for n in nums if n < 0 or n > 3])
print([s for s in ["", "a", None, "b", 0] if s])
grid = ["#..", ".#.", "..#"]
print([(r, c) for r, row in enumerate(grid) for c, ch in enumerate(row) if ch == "#"])
print(len([1 for c in "mississippi" if c == "s"]))
