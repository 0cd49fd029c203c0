def validate_positive(fn):
    def wrapper(self, v):
        if v <= 0:
            raise ValueError(f"{fn.__name__}: {v} is not positive")
        return fn(self, v)
    return wrapper
class Account:
    def __init__(self):
        self.balance = 0
    @validate_positive
    def deposit(self, v):
        self.balance += v
        return self.balance
acc = Account()
print(acc.deposit(10), acc.deposit(5))
try:
    acc.deposit(-3)
except ValueError as e:
    print("ValueError:", e)
print(acc.balance)
