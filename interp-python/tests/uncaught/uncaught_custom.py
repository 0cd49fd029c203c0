class ConfigError(Exception):
    def __init__(self, key):
        super().__init__(f"missing config key {key!r}")
        self.key = key
def load(cfg, key):
    if key not in cfg:
        raise ConfigError(key)
    return cfg[key]
cfg = {"host": "localhost"}
print("host =", load(cfg, "host"))
print("port =", load(cfg, "port"))
