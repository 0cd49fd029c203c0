path = "/tmp/vmkit_fileio_binary.bin"
data = bytes(range(256))
with open(path, "wb") as f:
    print(f.write(data), f.write(b"\x00\xff"))
with open(path, "rb") as f:
    back = f.read()
print(len(back), back[:5], back[-3:], back[:256] == data)
with open(path, "rb") as f:
    print(f.read(3), f.read(2), f.tell())
    f.seek(250)
    print(f.read(4))
    f.seek(-2, 2)
    print(f.read())
text = "héllo\n€uro\n"
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
with open(path, "rb") as f:
    raw = f.read()
print(raw, len(text), len(raw))
with open(path, encoding="utf-8") as f:
    print(f.read() == text)
