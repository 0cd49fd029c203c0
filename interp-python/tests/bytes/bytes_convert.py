n = 0x12345678
print(n.to_bytes(4, "big"), n.to_bytes(4, "little"), n.to_bytes(8, "big"))
print(int.from_bytes(b"\x12\x34", "big"), int.from_bytes(b"\x12\x34", "little"))
print(int.from_bytes(b"\x80\x00", "big", signed=True), (-2).to_bytes(1, "big", signed=True))
try:
    (256).to_bytes(1, "big")
except OverflowError as e:
    print("OverflowError:", e)
data = bytes(range(65, 71))
print(data, list(data), data.decode("ascii"))
print(bytes(map(lambda c: c + 1, b"HAL")), "".join(chr(c) for c in b"xyz"))
print(bytes([ord(c) for c in "abc"]) == "abc".encode())
print(bytearray(b"ab") + b"cd", type(bytearray(b"ab") + b"cd").__name__)
