class Stack:
    def __init__(self):
        self.items = []
    def push(self, x):
        self.items.append(x)
        assert self.items[-1] is x
    def pop(self):
        assert self.items, "pop from empty Stack"
        return self.items.pop()
s = Stack()
s.push(1)
s.push(2)
print(s.pop(), s.pop())
try:
    s.pop()
except AssertionError as e:
    print("AssertionError:", e)
print(issubclass(AssertionError, Exception))
