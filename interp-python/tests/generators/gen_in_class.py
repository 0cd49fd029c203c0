class Tree:
    def __init__(self, val, children=()):
        self.val = val
        self.children = list(children)
    def __iter__(self):
        yield self.val
        for c in self.children:
            yield from c
    def leaves(self):
        if not self.children:
            yield self.val
        for c in self.children:
            yield from c.leaves()
    def depth_first(self, depth=0):
        yield depth, self.val
        for c in self.children:
            yield from c.depth_first(depth + 1)
t = Tree(1, [Tree(2, [Tree(4), Tree(5)]), Tree(3, [Tree(6)])])
print(list(t), list(t.leaves()), sum(t))
for d, v in t.depth_first():
    print("  " * d + str(v))
