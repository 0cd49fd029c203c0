"""A small tour of pyvm: classes, generators, closures, exceptions, formatting, big ints."""

import math


class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError(f"invalid amount: {amount}")
        self.balance += amount
        return self

    def __repr__(self):
        return f"Account({self.owner!r}, {self.balance})"


def primes():
    """Yields the primes, forever (trial division by the primes found so far)."""
    found = []
    n = 2
    while True:
        if all(n % p for p in found if p * p <= n):
            found.append(n)
            yield n
        n += 1


def counter():
    count = 0

    def bump():
        nonlocal count
        count += 1
        return count

    return bump


acct = Account("ada").deposit(10).deposit(32)
print(acct)
try:
    acct.deposit(-1)
except ValueError as e:
    print("error:", e)

gen = primes()
print("first primes:", [next(gen) for _ in range(10)])
bump = counter()
print("counter:", [bump() for _ in range(3)])
words = "the quick brown fox jumps over the lazy dog the end".split()
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
print("most common:", sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
print("2**100 =", 2 ** 100, "| 100! has", len(str(math.factorial(100))), "digits")
total = 0
for i in range(1_000_000):
    total += i * i % 7
print("loop total:", total)
