# ctypes: callbacks called from Python through their C trampolines (int and double
# arguments and results), pointers, arrays of doubles, casts and raw memory.
from ctypes import (CDLL, CFUNCTYPE, POINTER, addressof, byref, c_char, c_double, c_int,
                    c_long, c_ubyte, c_void_p, cast, create_string_buffer, pointer, sizeof,
                    string_at)

libc = CDLL("libc.so.6")

# A Python function behind a C function pointer, called back through C.
DFUNC = CFUNCTYPE(c_double, c_double, c_int, c_double)
def blend(a, k, b):
    return a * k + b
f = DFUNC(blend)
print(f(1.5, 4, 0.25), f(-2.0, 3, 0.5))

IFUNC = CFUNCTYPE(c_long, c_long, c_long)
g = IFUNC(lambda a, b: a * 1000 + b)
print(g(12, 34), g(-1, 1))

# Exceptions in callbacks are reported and the C result is 0.
def boom(a, b):
    raise ValueError("no")
h = IFUNC(boom)

# Pointers to simple values.
x = c_int(10)
p = pointer(x)
p[0] = 77
print(x.value, p.contents.value, bool(p), bool(POINTER(c_int)()))
d = c_double(2.5)
pd = pointer(d)
pd[0] *= 4
print(d.value)

# Arrays of doubles and bytes.
arr = (c_double * 4)(1.0, 2.5, -3.0)
print(list(arr), sizeof(arr), arr[1:3])
arr[3] = 9.75
print(sum(arr))
raw = (c_ubyte * 4)(1, 2, 254, 255)
print(string_at(addressof(raw), 4), list(raw))

# memset/memcpy on buffers.
buf = create_string_buffer(b"abcdef", 10)
libc.memset(buf, ord("z"), 3)
print(buf.value, buf.raw[:7])
dst = create_string_buffer(8)
libc.memcpy(dst, b"copy me", 8)
print(dst.value)

# casts
vp = cast(buf, c_void_p)
print(vp.value == addressof(buf), string_at(vp.value, 3))
ip = cast(arr, POINTER(c_double))
print(ip[0], ip[1])

# out-parameters of several types with sscanf (variadic)
n = c_int()
v = c_double()
word = create_string_buffer(16)
libc.sscanf.argtypes = [c_void_p, c_void_p]
cnt = libc.sscanf(b"42 3.25 hello", b"%d %lf %15s", byref(n), byref(v), word)
print(cnt, n.value, v.value, word.value)
