def ping(n):
    return pong(n + 1)
def pong(n):
    return ping(n + 1)
try:
    ping(0)
except RecursionError:
    print("mutual recursion overflowed")
def even(n):
    return True if n == 0 else odd(n - 1)
def odd(n):
    return False if n == 0 else even(n - 1)
print(even(500), odd(501))
try:
    even(100000)
except RecursionError:
    print("deep even overflowed")
