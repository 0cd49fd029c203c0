def outer():
    value = 1
    def read_then_assign():
        try:
            value += 1
        except UnboundLocalError as e:
            print("UnboundLocalError:", e)
    read_then_assign()
    def ok():
        nonlocal value
        value += 1
    ok()
    return value
print(outer())
g = 10
def gl():
    try:
        g += 1
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
gl()
print(g)
