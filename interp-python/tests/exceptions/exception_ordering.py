log = []
def f(n):
    try:
        log.append(f"enter {n}")
        if n == 0:
            raise LookupError("bottom")
        f(n - 1)
    except LookupError as e:
        log.append(f"handle {n}")
        if n < 2:
            raise RuntimeError(f"wrapped at {n}") from e
        log.append("stopped")
    finally:
        log.append(f"leave {n}")
try:
    f(3)
except Exception as e:
    print("escaped:", e)
for line in log:
    print(line)
