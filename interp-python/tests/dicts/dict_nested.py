cfg = {"db": {"host": "localhost", "port": 5432}, "debug": False, "tags": ["a", "b"]}
print(cfg["db"]["port"], cfg["tags"][-1])
cfg["db"]["user"] = "admin"
cfg.setdefault("cache", {})["size"] = 10
print(cfg)
def walk(obj, prefix=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            walk(v, prefix + "/" + str(k))
    else:
        print(prefix, "=", repr(obj))
walk(cfg)
print(len(cfg), sum(len(v) for v in cfg.values() if isinstance(v, (dict, list))))
