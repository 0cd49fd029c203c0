class Outer:
    class Inner:
        def hello(self):
            return "inner hello"
    def make(self):
        return self.Inner()
o = Outer()
print(o.make().hello(), Outer.Inner.__name__, Outer.Inner.__qualname__)
class LinkedList:
    class Node:
        def __init__(self, val, nxt=None):
            self.val, self.nxt = val, nxt
    def __init__(self, items):
        self.head = None
        for v in reversed(items):
            self.head = self.Node(v, self.head)
    def to_list(self):
        out, n = [], self.head
        while n:
            out.append(n.val)
            n = n.nxt
        return out
print(LinkedList([1, 2, 3]).to_list(), LinkedList([]).to_list())
