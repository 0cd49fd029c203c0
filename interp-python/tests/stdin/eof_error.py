lines = []
while True:
    try:
        line = input()
    except EOFError:
        print("EOF reached")
        break
    lines.append(line)
print(len(lines), lines)
try:
    input()
except EOFError as e:
    print("again EOFError", repr(e))
