count = 0
history = []
def increment(step=1):
    global count
    count += step
    history.append(count)
    return count
def reset():
    global count
    count = 0
    history.clear()
