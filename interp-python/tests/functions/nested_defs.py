def make_ops():
    def add(a, b):
        return a + b
    def mul(a, b):
        return a * b
    return {"add": add, "mul": mul}
ops = make_ops()
print(ops["add"](2, 3), ops["mul"](2, 3))
def outer(n):
    def helper(k):
        return k * n
    return [helper(i) for i in range(4)]
print(outer(3))
def conditional_def(flag):
    if flag:
        def f():
            return "yes"
    else:
        def f():
            return "no"
    return f()
print(conditional_def(True), conditional_def(False))
def f1(): return "redefined-1"
def f1(): return "redefined-2"
print(f1())
