data = [3, 8, 1, 9, 4]
if (n := len(data)) > 3:
    print("long list", n)
it = iter(data)
while (v := next(it, None)) is not None:
    print("v", v)
print([y for x in data if (y := x * 2) > 8])
def chunks(s, k):
    out = []
    pos = 0
    while chunk := s[pos:pos + k]:
        out.append(chunk)
        pos += k
    return out
print(chunks("abcdefgh", 3))
print((z := 5) + z, z)
stack = [1, 2, 3]
while stack and (top := stack.pop()) != 1:
    print("popped", top)
print(stack, top)
