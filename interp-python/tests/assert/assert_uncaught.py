def withdraw(balance, amount):
    assert amount <= balance, f"insufficient funds: {amount} > {balance}"
    return balance - amount
print(withdraw(100, 30))
print(withdraw(50, 50))
print(withdraw(10, 20))
print("unreachable")
