class Tree:
    def __init__(self, depth):
        self.child = Tree(depth - 1) if depth > 0 else None
    def height(self):
        return 0 if self.child is None else 1 + self.child.height()
print(Tree(300).height())
class Loop:
    def __repr__(self):
        return repr(self)
try:
    repr(Loop())
except RecursionError:
    print("recursive __repr__ overflowed")
class Attr:
    def __getattr__(self, name):
        return getattr(self, "x_" + name)
try:
    Attr().y
except RecursionError:
    print("recursive __getattr__ overflowed")
print("done")
