def parse_age(text):
    value = int(text)
    if value < 0:
        raise ValueError(f"age cannot be negative: {value}")
    return value
print(parse_age("42"))
print("about to fail")
print(parse_age("-3"))
print("never printed")
