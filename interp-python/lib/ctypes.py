"""A subset of CPython's ctypes for pyvm, on top of the native `_ffi` module (vmkit::ffi).

Calls are compiled by Cranelift for the target's C calling convention (no libffi): see
docs/dsl.md, "Foreign functions". Supported: CDLL (attribute lookup, argtypes, restype),
the simple types, POINTER/pointer/byref, arrays (`c_int * n`), create_string_buffer,
string_at, sizeof, addressof, cast to c_void_p, CFUNCTYPE callbacks, variadic calls
(arguments beyond argtypes). str arguments are passed as UTF-8 `char *` (CPython passes
`wchar_t *`).
"""

import _ffi


class ArgumentError(Exception):
    pass


class _CDataType(type):
    def __mul__(cls, n):
        return _array_type(cls, n)

    def __rmul__(cls, n):
        return _array_type(cls, n)


class _CData(metaclass=_CDataType):
    _size_ = 0
    _letter_ = "p"


class _SimpleCData(_CData):
    """A C scalar kept in C memory (so that byref/pointer can hand out its address)."""

    def __init__(self, value=None):
        self._addr_ = _ffi.malloc(self._size_)
        self._keep_ = None
        if value is not None:
            self.value = value

    def _get(self):
        return _load(type(self), self._addr_)

    def _set(self, v):
        self._keep_ = _store(type(self), self._addr_, v)

    value = property(_get, _set)

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self.value)


def _load(t, addr):
    if t._letter_ in "fd":
        return _ffi.peek_f64(addr, t._letter_)
    raw = _ffi.peek(addr, t._letter_)
    if t is c_char:
        return bytes([raw & 255])
    if t is c_bool:
        return raw != 0
    if t is c_char_p:
        return None if raw == 0 else _ffi.from_cstr(raw)
    if t is c_void_p:
        return None if raw == 0 else raw
    if issubclass(t, _Pointer):
        p = t.__new__(t)
        p._addr_ = raw
        return p
    return raw


def _store(t, addr, v):
    """Stores `v` as a `t` at `addr`; returns what must stay alive (a C string copy)."""
    if t._letter_ in "fd":
        _ffi.poke_f64(addr, t._letter_, float(v))
        return None
    if t is c_char:
        v = v[0] if isinstance(v, bytes) else v
    keep = None
    if t is c_char_p:
        if v is None:
            v = 0
        else:
            keep = _CString(v)
            v = keep.addr
    elif isinstance(v, _CData):
        v = _address_of_arg(v)
    elif v is None:
        v = 0
    _ffi.poke(addr, t._letter_, int(v))
    return keep


_cstrings = {}


class _CString:
    """The C copy of a bytes (or str, as UTF-8) value. C may keep pointers into it (strchr,
    strtol's end pointer), as it may into a CPython bytes object, so copies are kept for the
    life of the program, one per distinct value."""

    def __init__(self, b):
        if isinstance(b, str):
            b = b.encode()
        addr = _cstrings.get(b)
        if addr is None:
            addr = _ffi.to_cstr(b)
            _cstrings[b] = addr
        self.addr = addr


def _int_type(name, letter, size):
    return _CDataType(
        name, (_SimpleCData,), {"_letter_": letter, "_size_": size, "__module__": "ctypes"}
    )


c_byte = _int_type("c_byte", "b", 1)
c_ubyte = _int_type("c_ubyte", "B", 1)
c_short = _int_type("c_short", "h", 2)
c_ushort = _int_type("c_ushort", "H", 2)
c_int = _int_type("c_int", "i", 4)
c_uint = _int_type("c_uint", "I", 4)
c_long = _int_type("c_long", "l", 8)
c_ulong = _int_type("c_ulong", "L", 8)
c_longlong = _int_type("c_longlong", "l", 8)
c_ulonglong = _int_type("c_ulonglong", "L", 8)
c_bool = _int_type("c_bool", "B", 1)
c_char = _int_type("c_char", "b", 1)
c_float = _int_type("c_float", "f", 4)
c_double = _int_type("c_double", "d", 8)
c_char_p = _int_type("c_char_p", "p", 8)
c_void_p = _int_type("c_void_p", "p", 8)
c_size_t = c_ulong
c_ssize_t = c_long
c_int8, c_uint8, c_int16, c_uint16 = c_byte, c_ubyte, c_short, c_ushort
c_int32, c_uint32, c_int64, c_uint64 = c_int, c_uint, c_long, c_ulong


def sizeof(obj):
    t = obj if isinstance(obj, type) else type(obj)
    return t._size_


class _Pointer(_CData):
    _size_ = 8
    _letter_ = "p"
    _type_ = None

    def __init__(self, target=None):
        self._addr_ = 0
        self._obj_ = target
        if target is not None:
            self._addr_ = target._addr_

    @property
    def contents(self):
        t = self._type_
        obj = t.__new__(t)
        obj._addr_ = self._addr_
        obj._keep_ = None
        return obj

    def __getitem__(self, i):
        if self._addr_ == 0:
            raise ValueError("NULL pointer access")
        return _load(self._type_, self._addr_ + i * self._type_._size_)

    def __setitem__(self, i, v):
        if self._addr_ == 0:
            raise ValueError("NULL pointer access")
        _store(self._type_, self._addr_ + i * self._type_._size_, v)

    def __bool__(self):
        return self._addr_ != 0

    def __repr__(self):
        return "<%s object at %#x>" % (type(self).__name__, self._addr_)


_pointer_types = {}


def POINTER(t):
    if t in _pointer_types:
        return _pointer_types[t]
    name = "LP_" + (t.__name__ if t is not None else "None")
    p = _CDataType(name, (_Pointer,), {"_type_": t, "__module__": "ctypes"})
    _pointer_types[t] = p
    return p


def pointer(obj):
    return POINTER(type(obj))(obj)


class _ByRef:
    def __init__(self, obj, offset):
        self.obj = obj
        self.addr = obj._addr_ + offset


def byref(obj, offset=0):
    return _ByRef(obj, offset)


def addressof(obj):
    return obj._addr_


class Array(_CData):
    _type_ = None
    _length_ = 0

    def __init__(self, *items):
        self._addr_ = _ffi.malloc(max(self._size_, 1))
        self._keep_ = [None] * self._length_
        if len(items) > self._length_:
            raise IndexError("invalid index")
        for i, v in enumerate(items):
            self[i] = v

    def __len__(self):
        return self._length_

    def _check(self, i):
        if i < 0:
            i += self._length_
        if i < 0 or i >= self._length_:
            raise IndexError("invalid index")
        return i

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._length_))]
        i = self._check(i)
        return _load(self._type_, self._addr_ + i * self._type_._size_)

    def __setitem__(self, i, v):
        i = self._check(i)
        self._keep_[i] = _store(self._type_, self._addr_ + i * self._type_._size_, v)

    def __iter__(self):
        for i in range(self._length_):
            yield self[i]

    @property
    def value(self):
        if self._type_ is not c_char:
            raise AttributeError("value")
        return _ffi.from_cstr(self._addr_)[: self._length_]

    @value.setter
    def value(self, b):
        if len(b) >= self._length_ + 1 and len(b) > self._length_:
            raise ValueError("byte string too long")
        for i, c in enumerate(b):
            _ffi.poke(self._addr_ + i, "B", c)
        if len(b) < self._length_:
            _ffi.poke(self._addr_ + len(b), "B", 0)

    @property
    def raw(self):
        return _ffi.string_at(self._addr_, self._length_)


_array_types = {}


def _array_type(t, n):
    key = (t, n)
    if key in _array_types:
        return _array_types[key]
    a = _CDataType(
        "%s_Array_%d" % (t.__name__, n),
        (Array,),
        {"_type_": t, "_length_": n, "_size_": t._size_ * n, "__module__": "ctypes"},
    )
    _array_types[key] = a
    return a


def create_string_buffer(init, size=None):
    if isinstance(init, int):
        return (c_char * init)()
    if isinstance(init, str):
        init = init.encode()
    if size is None:
        size = len(init) + 1
    buf = (c_char * size)()
    buf.value = init
    return buf


def string_at(addr, size=-1):
    if isinstance(addr, _CData):
        addr = addr._addr_
    if size < 0:
        return _ffi.from_cstr(addr)
    return _ffi.string_at(addr, size)


def cast(obj, typ):
    addr = _address_of_arg(obj)
    if issubclass(typ, _Pointer):
        p = typ.__new__(typ)
        p._addr_ = addr
        p._obj_ = obj
        return p
    return typ(addr)


def _address_of_arg(a):
    if isinstance(a, (Array, _Pointer)):
        return a._addr_
    if isinstance(a, _ByRef):
        return a.addr
    if isinstance(a, _CFuncPtr):
        return a._addr_
    if isinstance(a, _SimpleCData):
        v = a.value
        return 0 if v is None else v
    raise TypeError("not a pointer")


def _letter_of(t):
    if t is None:
        return "v"
    return t._letter_


def _convert(arg, t, index, ints, floats, keep):
    """Appends the C value of `arg` (as type `t`, or inferred when `t` is None); returns its
    signature letter."""
    if t is not None and t._letter_ in "fd":
        if isinstance(arg, _SimpleCData):
            arg = arg.value
        if not isinstance(arg, (int, float)):
            raise ArgumentError("argument %d: TypeError: wrong type" % index)
        floats.append(float(arg))
        return t._letter_
    if t is None:
        if isinstance(arg, _SimpleCData):
            t = type(arg)
            if t._letter_ in "fd":
                floats.append(float(arg.value))
                return t._letter_
        elif arg is None or isinstance(arg, (bytes, str, Array, _Pointer, _ByRef, _CFuncPtr)):
            t = c_void_p
        elif isinstance(arg, bool) or isinstance(arg, int):
            t = c_int
        else:
            raise ArgumentError(
                "argument %d: TypeError: Don't know how to convert parameter %d" % (index, index)
            )
    if arg is None:
        ints.append(0)
    elif isinstance(arg, (bytes, str)):
        s = _CString(arg)
        keep.append(s)
        ints.append(s.addr)
    elif isinstance(arg, (Array, _Pointer, _ByRef, _CFuncPtr)):
        ints.append(_address_of_arg(arg))
    elif isinstance(arg, _SimpleCData):
        v = arg.value
        if isinstance(v, bytes):
            s = _CString(v)
            keep.append(s)
            v = s.addr
        ints.append(0 if v is None else int(v))
    elif isinstance(arg, int):
        ints.append(arg)
    else:
        raise ArgumentError("argument %d: TypeError: wrong type" % index)
    return t._letter_


def _result(raw, t):
    if t is None:
        return None
    if t is c_char_p:
        return None if raw == 0 else _ffi.from_cstr(raw)
    if t is c_void_p:
        return None if raw == 0 else raw
    if t is c_bool:
        return raw != 0
    if t is c_char:
        return bytes([raw & 255])
    if isinstance(t, type) and issubclass(t, _Pointer):
        p = t.__new__(t)
        p._addr_ = raw
        return p
    return raw


class _CFuncPtr(_CData):
    _letter_ = "p"
    _size_ = 8

    def __init__(self, addr, name):
        self._addr_ = addr
        self.__name__ = name
        self.argtypes = None
        self.restype = c_int

    def __call__(self, *args):
        ints, floats, keep = [], [], []
        letters = []
        fixed = self.argtypes
        if fixed is not None and len(args) < len(fixed):
            raise TypeError("this function takes at least %d argument%s (%d given)"
                            % (len(fixed), "" if len(fixed) == 1 else "s", len(args)))
        for i, a in enumerate(args):
            t = fixed[i] if fixed is not None and i < len(fixed) else None
            letters.append(_convert(a, t, i + 1, ints, floats, keep))
        if fixed is not None and len(args) > len(fixed):
            letters.insert(len(fixed), "...")
        rt = self.restype
        sig = _letter_of(rt) + "(" + "".join(letters) + ")"
        if rt is not None and rt._letter_ in "fd":
            return _ffi.call_f64(self._addr_, sig, ints, floats)
        raw = _ffi.call(self._addr_, sig, ints, floats)
        return _result(raw, rt)

    def __repr__(self):
        return "<_FuncPtr object %s at %#x>" % (self.__name__, self._addr_)


def CFUNCTYPE(restype, *argtypes):
    class CFunctionType(_CFuncPtr):
        _restype_ = restype
        _argtypes_ = argtypes

        def __init__(self, func):
            self._func_ = func
            sig = _letter_of(restype) + "(" + "".join(_letter_of(t) for t in argtypes) + ")"

            def trampoline(ints, floats):
                args = []
                ii = fi = 0
                for t in argtypes:
                    if t._letter_ in "fd":
                        args.append(floats[fi])
                        fi += 1
                    else:
                        args.append(_result(ints[ii], t))
                        ii += 1
                r = func(*args)
                if restype is None or r is None:
                    return 0
                if isinstance(r, _SimpleCData):
                    r = r.value
                if restype._letter_ in "fd":
                    return float(r)
                return int(r)

            self._trampoline_ = trampoline
            self._addr_ = _ffi.callback(sig, trampoline)
            self.__name__ = getattr(func, "__name__", "callback")
            self.argtypes = list(argtypes)
            self.restype = restype

    return CFunctionType


class CDLL:
    def __init__(self, name, mode=None):
        self._name = name
        self._handle = _ffi.open(name)
        if self._handle == 0:
            raise OSError(_ffi.error())

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name):
        addr = _ffi.sym(self._handle, name)
        if addr == 0:
            raise AttributeError(_ffi.error())
        f = _CFuncPtr(addr, name)
        setattr(self, name, f)
        return f

    def __repr__(self):
        return "<CDLL '%s', handle %x at %#x>" % (self._name, self._handle, id(self))


class _LibraryLoader:
    def LoadLibrary(self, name):
        return CDLL(name)


cdll = _LibraryLoader()
