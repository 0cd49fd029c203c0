def memoize(fn):
    cache = {}
    calls = [0]
    def wrapper(n):
        if n not in cache:
            calls[0] += 1
            cache[n] = fn(n)
        return cache[n]
    wrapper.calls = calls
    return wrapper
@memoize
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(60), fib.calls[0])
print(fib(61), fib.calls[0])
def once(fn):
    done = False
    result = None
    def w():
        nonlocal done, result
        if not done:
            result = fn()
            done = True
        return result
    return w
init = once(lambda: print("init ran") or 42)
print(init(), init())
