x, name = 42, "World"
print(f"Hello {name}! x={x}")
print(f"{x + 1} {x * 2} {x // 5} {x / 5}")
print(f"{name!r} {name!s} {'é'!a}")
print(f"{x=} {name=} {x + 1 = }")
print(f"{x:5d}|{x:<5}|{x:^7}|{x:05}|{x:x}|{x:#b}")
pi = 3.14159265
print(f"{pi:.2f} {pi:10.4f} {pi:e} {pi:.0f}")
width, prec = 12, 3
print(f"[{pi:{width}.{prec}f}] [{name:>{width}}]")
print(f"{{braces}} {{{x}}}")
print(f"{'single'} {'dq' if False else 'sq'} {'dq' if True else 'sq'}")
print(f"{len(name)} {name.upper()} {name[::-1]}")
