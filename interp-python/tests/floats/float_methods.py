for x in [1.0, 1.5, -2.0, 0.0, 1e20, 0.1]:
    print(x, x.is_integer(), x.as_integer_ratio())
print((2.5).real, (2.5).imag, (2.5).conjugate())
print(float.fromhex("0x1.8p1"), (3.0).hex(), (0.1).hex())
print((7.0).__trunc__(), (-7.5).__floor__(), (-7.5).__ceil__())
print(float.__add__(1.5, 2.0), (4.0).__rtruediv__(2.0))
