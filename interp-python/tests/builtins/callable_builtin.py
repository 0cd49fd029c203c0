class WithCall:
    def __call__(self):
        return 1
class NoCall:
    pass
def fn():
    pass
items = [fn, lambda: 0, len, print, int, WithCall, WithCall(), NoCall(), NoCall, 5, "s", [].append, None]
print([callable(x) for x in items])
print(callable(str.upper), callable("x".upper), callable(type))
