# ctypes: calls into the C library (argtypes/restype, default conversions, variadic snprintf,
# strings and buffers, pointers and arrays, out-parameters, qsort with a Python callback).
import ctypes
from ctypes import (CDLL, CFUNCTYPE, POINTER, byref, c_char_p, c_double, c_int, c_long,
                    c_size_t, c_void_p, create_string_buffer, sizeof)

libc = CDLL("libc.so.6")

print(libc.strlen(b"hello, world"))
libc.strlen.restype = c_size_t
libc.strlen.argtypes = [c_char_p]
print(libc.strlen(b"hello"))
print(libc.abs(-42), libc.abs(7))
libc.labs.restype = c_long
libc.labs.argtypes = [c_long]
print(libc.labs(-9000000000))
print(libc.toupper(ord("q")), chr(libc.toupper(ord("z"))))

# doubles need argtypes/restype
libm = CDLL("libm.so.6")
libm.pow.restype = c_double
libm.pow.argtypes = [c_double, c_double]
print(libm.pow(2, 10), libm.pow(2.5, 2.0))
libm.ldexp.restype = c_double
libm.ldexp.argtypes = [c_double, c_int]
print(libm.ldexp(0.75, 4))

# a variadic function: arguments beyond argtypes take the default conversions
buf = create_string_buffer(64)
libc.snprintf.argtypes = [c_char_p, c_size_t, c_char_p]
n = libc.snprintf(buf, 64, b"%d-%s-%ld|%5d", 7, b"seven", c_long(-77), 42)
print(n, buf.value)
print(sizeof(buf), len(buf.raw))

# returning a char *
libc.strchr.restype = c_char_p
libc.strchr.argtypes = [c_char_p, c_int]
print(libc.strchr(b"find the needle", ord("n")))
print(libc.strchr(b"nothing here", ord("z")))

# out-parameters: strtol(text, &end, base)
end = c_char_p()
libc.strtol.restype = c_long
libc.strtol.argtypes = [c_char_p, POINTER(c_char_p), c_int]
print(libc.strtol(b"  -123xyz", byref(end), 10), end.value)

# simple values
i = c_int(41)
i.value += 1
print(i, i.value, c_double(1.5).value, sizeof(c_int), sizeof(c_double), sizeof(c_long))

# arrays and qsort with a callback (CPython's documented example)
IntArray5 = c_int * 5
ia = IntArray5(5, 1, 7, 33, 99)
print(len(ia), list(ia), ia[-1])
CMPFUNC = CFUNCTYPE(c_int, POINTER(c_int), POINTER(c_int))
calls = []

def py_cmp_func(a, b):
    calls.append((a[0], b[0]))
    return a[0] - b[0]

libc.qsort.restype = None
libc.qsort(ia, len(ia), sizeof(c_int), CMPFUNC(py_cmp_func))
print(list(ia), len(calls) > 0)

nums = (c_int * 8)(3, -1, 4, -1, 5, -9, 2, 6)
libc.qsort(nums, 8, 4, CMPFUNC(lambda a, b: b[0] - a[0]))
print(list(nums))

# errors
try:
    libc.no_such_function_here
except AttributeError as e:
    print("AttributeError", "undefined symbol" in str(e))
try:
    CDLL("/no/such/library.so")
except OSError as e:
    print("OSError", "/no/such/library.so" in str(e))
try:
    libc.printf(b"%f\n", 1.5)
except ctypes.ArgumentError as e:
    print("ArgumentError:", e)
