x = "module"
class C:
    x = "class"
    y = x + "!"
    def method(self):
        return x
    vals = [x for _ in range(2)]
print(C.y, C().method(), C.vals)
def f():
    z = "fn"
    class D:
        w = z
        def m(self):
            return z
    return D
D = f()
print(D.w, D().m())
class Counter:
    total = 0
    def add(self):
        Counter.total += 1
        return Counter.total
print(Counter().add(), Counter().add(), Counter.total)
