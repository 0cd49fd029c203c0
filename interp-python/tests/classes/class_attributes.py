class Config:
    defaults = {"a": 1}
    items = []
    def add(self, x):
        self.items.append(x)
c1, c2 = Config(), Config()
c1.add("shared")
print(c2.items, Config.items)
c1.items = ["own"]
print(c1.items, c2.items)
print("items" in vars(c1), "items" in vars(c2))
setattr(Config, "dynamic", 5)
print(c1.dynamic, getattr(c2, "dynamic"), getattr(c2, "nope", "default"))
del c1.items
print(c1.items)
try:
    c1.missing
except AttributeError as e:
    print("AttributeError:", e)
print(Config.__name__, sorted(k for k in vars(Config) if not k.startswith("__")))
