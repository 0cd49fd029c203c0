def lookup(d, k):
    try:
        return d[k]
    except KeyError as e:
        raise LookupError(f"lookup of {k!r} failed") from e
data = {"a": 1}
print(lookup(data, "a"))
print(lookup(data, "b"))
