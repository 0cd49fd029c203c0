d = {"a": 1, "b": [10, 20]}
print(f"{d['a']} {d['b'][1]} {len(d)}")
items = ["x", "y"]
print(f"{', '.join(items)} {[i.upper() for i in items]}")
n = 7
print(f"{'odd' if n % 2 else 'even'} {n ** 2:,} {-n:+}")
inner = f"{n:>{n}}"
print(f"[{inner}] [{f'{n:03}'}]")
lines = f"""first {n}
second {n + 1}"""
print(lines)
val = 1234.5678
for spec in [".1f", ",.2f", "10.3e", "<12", "^12.2f"]:
    print(f"[{val:{spec}}]")
print(f"{(lambda q: q * 2)(21)}")
print(f"{'nested ' + f'{n}'}")
