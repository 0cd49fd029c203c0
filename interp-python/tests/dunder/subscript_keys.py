class Grid:
    def __init__(self):
        self.cells = {}
    def __getitem__(self, key):
        print("get", repr(key))
        if isinstance(key, tuple) and all(isinstance(k, int) for k in key):
            return self.cells.get(key, ".")
        return key
    def __setitem__(self, key, value):
        self.cells[key] = value
g = Grid()
g[1, 2] = "X"
print(g[1, 2], g[0, 0])
print(g[1:2], g[::2], g[1:2, 3])
print(g[...], g["s"])
