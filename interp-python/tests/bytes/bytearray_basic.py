ba = bytearray(b"hello")
print(ba, len(ba))
ba[0] = ord("j")
ba.append(33)
ba.extend(b"??")
print(ba)
del ba[-1]
print(ba.pop(), ba.pop(0), ba)
ba.insert(0, 72)
ba[1:3] = b"EE"
print(ba, bytes(ba), ba.decode())
ba.reverse()
print(ba)
print(bytearray(3), bytearray([1, 2]), bytearray("ab", "ascii"))
ba2 = bytearray(b"xyz")
ba2 += b"!"
print(ba2, ba2 * 2, ba2 == b"xyz!", b"y" in ba2, 120 in ba2)
try:
    ba2[0] = 300
except ValueError as e:
    print("ValueError:", e)
