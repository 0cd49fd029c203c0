def shape(seq):
    match seq:
        case []:
            return "empty"
        case [x]:
            return f"one: {x}"
        case [x, y]:
            return f"two: {x},{y}"
        case [first, *rest] if len(rest) > 3:
            return f"long: {first} + {len(rest)} more"
        case [first, *middle, last]:
            return f"first={first} middle={middle} last={last}"
        case _:
            return "not a sequence"
for s in [[], [1], (1, 2), [1, 2, 3], list(range(6)), "str", 42]:
    print(repr(s), shape(s))
def cmd(command):
    match command.split():
        case ["go", direction]:
            return "going " + direction
        case ["pick", "up", *items]:
            return "picking " + ", ".join(items)
        case ["quit" | "exit"]:
            return "bye"
        case _:
            return "unknown: " + command
for c in ["go north", "pick up sword shield", "exit", "dance now"]:
    print(cmd(c))
