//! Foreign functions: load a C library, look up a symbol, call it with a signature given at run
//! time, C memory, and callbacks from C into the program. See `docs/dsl.md` ("Foreign
//! functions") for the contract and the signature letters.
//!
//! Translated, every call goes through a Cranelift-generated trampoline for the target's C
//! calling convention (`runtime/src/ffi.rs`). This untranslated meaning is a debugging aid for
//! the host (x86-64 or aarch64 Linux): it passes up to 16 integer-class and 8 float-class
//! arguments by calling the function as if it were `fn(i64 × 6, ...)` with 8 doubles and then
//! the remaining 10 integers as variadic arguments (so `%al` is set on x86-64). In the System V
//! and AAPCS64 conventions the floats then fill the vector registers and the integers the
//! remaining integer registers and then the stack, in order: where the callee expects them
//! whatever the order of its parameters (with at most 8 floats).
//! Callbacks come from a fixed pool of 32 receivers per result class.

use crate::array::GcArray;
use crate::gc::Gc;
use crate::str::Str;
use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::Mutex;

/// The program's `#[vmkit::ffi_callback]` function (at most one), behind a wrapper that turns
/// the context address back into its `Gc<T>`.
#[linkme::distributed_slice]
pub static FFI_CALLBACK_HANDLERS: [fn(*const (), i64, GcArray<i64>, GcArray<f64>) -> i64];

#[derive(Clone, Copy, Debug, PartialEq)]
enum C {
    Void,
    Int(u8, bool),
    F32,
    F64,
}

impl C {
    fn from_letter(l: u8) -> Option<C> {
        Some(match l {
            b'v' => C::Void,
            b'b' => C::Int(8, true),
            b'B' => C::Int(8, false),
            b'h' => C::Int(16, true),
            b'H' => C::Int(16, false),
            b'i' => C::Int(32, true),
            b'I' => C::Int(32, false),
            b'l' | b'p' => C::Int(64, true),
            b'L' => C::Int(64, false),
            b'f' => C::F32,
            b'd' => C::F64,
            _ => return None,
        })
    }
    fn is_float(self) -> bool {
        matches!(self, C::F32 | C::F64)
    }
    /// Normalises a raw 64-bit integer register to this C type, extended to 64 bits.
    fn extend(self, raw: i64) -> i64 {
        match self {
            C::Int(8, true) => raw as i8 as i64,
            C::Int(8, false) => raw as u8 as i64,
            C::Int(16, true) => raw as i16 as i64,
            C::Int(16, false) => raw as u16 as i64,
            C::Int(32, true) => raw as i32 as i64,
            C::Int(32, false) => raw as u32 as i64,
            _ => raw,
        }
    }
}

struct Sig {
    ret: C,
    args: Vec<C>,
}

fn parse(sig: Str) -> Sig {
    let s = sig.as_bytes();
    let bad =
        |why: &str| -> ! { panic!("ffi: bad signature `{}`: {why}", String::from_utf8_lossy(s)) };
    if s.len() < 3 || s[1] != b'(' || s[s.len() - 1] != b')' {
        bad("expected `<ret>(<args>)`");
    }
    let ret = C::from_letter(s[0]).unwrap_or_else(|| bad("unknown result letter"));
    let mut args = Vec::new();
    let inner = &s[2..s.len() - 1];
    let mut i = 0;
    while i < inner.len() {
        if inner[i..].starts_with(b"...") {
            i += 3;
            continue;
        }
        match C::from_letter(inner[i]) {
            Some(C::Void) | None => bad("unknown argument letter"),
            Some(c) => args.push(c),
        }
        i += 1;
    }
    Sig { ret, args }
}

mod c {
    use std::ffi::{c_char, c_void};
    extern "C" {
        pub fn dlopen(path: *const c_char, flags: i32) -> *mut c_void;
        pub fn dlsym(lib: *mut c_void, name: *const c_char) -> *mut c_void;
        pub fn dlerror() -> *const c_char;
        pub fn calloc(n: usize, size: usize) -> *mut c_void;
        pub fn malloc(n: usize) -> *mut c_void;
        pub fn free(p: *mut c_void);
    }
}
use c::{dlerror, dlopen, dlsym};

static LAST_ERROR: Mutex<String> = Mutex::new(String::new());

fn note_dlerror(what: &str) {
    // SAFETY: dlerror returns null or a C string valid until the next dl call.
    let msg = unsafe {
        let e = dlerror();
        if e.is_null() {
            format!("{what} failed")
        } else {
            CStr::from_ptr(e).to_string_lossy().into_owned()
        }
    };
    *LAST_ERROR.lock().unwrap_or_else(|e| e.into_inner()) = msg;
}

fn cstring(s: Str) -> CString {
    let b = s.as_bytes();
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    CString::new(&b[..end]).expect("no interior NUL")
}

/// Opens a shared library (`RTLD_NOW | RTLD_GLOBAL`); the empty path is the program itself and
/// the libraries it links (the C library). Returns 0 on failure (see [`error`]).
pub fn open(path: Str) -> usize {
    const FLAGS: i32 = 0x2 | 0x100;
    // SAFETY: dlopen with a valid C string or null.
    let h = unsafe {
        if path.is_empty() {
            dlopen(std::ptr::null(), FLAGS)
        } else {
            dlopen(cstring(path).as_ptr(), FLAGS)
        }
    };
    if h.is_null() {
        note_dlerror("dlopen");
    }
    h as usize
}

/// The address of symbol `name` in library `lib`, 0 if it is missing (see [`error`]).
pub fn symbol(lib: usize, name: Str) -> usize {
    // SAFETY: `lib` comes from `open`; the name is a valid C string.
    let p = unsafe {
        let _ = dlerror();
        dlsym(lib as *mut c_void, cstring(name).as_ptr())
    };
    if p.is_null() {
        note_dlerror("dlsym");
    }
    p as usize
}

/// The message of the last failed [`open`] or [`symbol`].
pub fn error() -> Str {
    Str::from_byte_slice(
        LAST_ERROR
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_bytes(),
    )
}

type IntFn = unsafe extern "C" fn(i64, i64, i64, i64, i64, i64, ...) -> i64;
type FloatFn = unsafe extern "C" fn(i64, i64, i64, i64, i64, i64, ...) -> f64;

/// Raw result bits of calling `f` (integers extended per the result type; floats as f64 bits).
fn call_raw(f: usize, sig: Str, ints: GcArray<i64>, floats: GcArray<f64>) -> u64 {
    assert!(f != 0, "ffi: call of a null function pointer");
    let s = parse(sig);
    let (mut ia, mut fa) = ([0i64; 16], [0f64; 8]);
    let (mut ni, mut nf) = (0, 0);
    for c in &s.args {
        if c.is_float() {
            assert!(
                nf < 8,
                "ffi (untranslated): at most 8 floating-point arguments"
            );
            let v = floats.get(nf);
            // An f32 travels in the low half of the register.
            fa[nf] = if *c == C::F32 {
                f64::from_bits((v as f32).to_bits() as u64)
            } else {
                v
            };
            nf += 1;
        } else {
            assert!(ni < 16, "ffi (untranslated): at most 16 integer arguments");
            ia[ni] = c.extend(ints.get(ni));
            ni += 1;
        }
    }
    let [a, b, c, d, e, g, i6, i7, i8, i9, i10, i11, i12, i13, i14, i15] = ia;
    let [x0, x1, x2, x3, x4, x5, x6, x7] = fa;
    // SAFETY: the caller promises `f` has signature `sig`; every argument is in a register.
    unsafe {
        if s.ret.is_float() {
            let h: FloatFn = std::mem::transmute(f);
            let r = h(
                a, b, c, d, e, g, x0, x1, x2, x3, x4, x5, x6, x7, i6, i7, i8, i9, i10, i11, i12,
                i13, i14, i15,
            );
            if s.ret == C::F32 {
                (f32::from_bits(r.to_bits() as u32) as f64).to_bits()
            } else {
                r.to_bits()
            }
        } else {
            let h: IntFn = std::mem::transmute(f);
            let r = h(
                a, b, c, d, e, g, x0, x1, x2, x3, x4, x5, x6, x7, i6, i7, i8, i9, i10, i11, i12,
                i13, i14, i15,
            );
            if s.ret == C::Void {
                0
            } else {
                s.ret.extend(r) as u64
            }
        }
    }
}

/// Calls the C function at `f` with signature `sig`: the k-th integer or pointer argument is
/// `ints[k]`, the k-th floating-point one `floats[k]`. Returns the integer result (0 for `v`).
pub fn call(f: usize, sig: Str, ints: GcArray<i64>, floats: GcArray<f64>) -> i64 {
    call_raw(f, sig, ints, floats) as i64
}

/// Like [`call`], for a `d` or `f` result.
pub fn call_f64(f: usize, sig: Str, ints: GcArray<i64>, floats: GcArray<f64>) -> f64 {
    f64::from_bits(call_raw(f, sig, ints, floats))
}

/// `n` zeroed bytes of C memory (never collected: [`free`] it).
pub fn malloc(n: usize) -> usize {
    // SAFETY: plain allocation.
    let p = unsafe { c::calloc(n.max(1), 1) };
    assert!(!p.is_null(), "ffi: cannot allocate {n} bytes");
    p as usize
}

/// Frees memory from [`malloc`] or [`to_cstr`] (or C's `malloc`).
pub fn free(p: usize) {
    // SAFETY: the caller passes memory from the C allocator.
    unsafe { c::free(p as *mut c_void) }
}

fn int_type(ty: u8) -> C {
    match C::from_letter(ty) {
        Some(c @ C::Int(..)) => c,
        _ => panic!("ffi: `{}` is not an integer C type letter", ty as char),
    }
}

/// The integer of C type `ty` (a signature letter) at `addr`, extended to 64 bits.
pub fn peek(addr: usize, ty: u8) -> i64 {
    assert!(addr != 0, "ffi: peek at a null address");
    let p = addr as *const u8;
    // SAFETY: the caller promises `addr` holds a value of that type.
    unsafe {
        match int_type(ty) {
            C::Int(8, _) => int_type(ty).extend(p.read_unaligned() as i64),
            C::Int(16, _) => int_type(ty).extend(p.cast::<u16>().read_unaligned() as i64),
            C::Int(32, _) => int_type(ty).extend(p.cast::<u32>().read_unaligned() as i64),
            _ => p.cast::<i64>().read_unaligned(),
        }
    }
}

/// Stores `v` as C type `ty` (truncated) at `addr`.
pub fn poke(addr: usize, ty: u8, v: i64) {
    assert!(addr != 0, "ffi: poke at a null address");
    let p = addr as *mut u8;
    // SAFETY: the caller promises `addr` has room for that type.
    unsafe {
        match int_type(ty) {
            C::Int(8, _) => p.write_unaligned(v as u8),
            C::Int(16, _) => p.cast::<u16>().write_unaligned(v as u16),
            C::Int(32, _) => p.cast::<u32>().write_unaligned(v as u32),
            _ => p.cast::<i64>().write_unaligned(v),
        }
    }
}

/// The `f` or `d` value at `addr`.
pub fn peek_f64(addr: usize, ty: u8) -> f64 {
    assert!(addr != 0, "ffi: peek at a null address");
    // SAFETY: the caller promises `addr` holds a value of that type.
    unsafe {
        match C::from_letter(ty) {
            Some(C::F32) => (addr as *const f32).read_unaligned() as f64,
            Some(C::F64) => (addr as *const f64).read_unaligned(),
            _ => panic!(
                "ffi: `{}` is not a floating-point C type letter",
                ty as char
            ),
        }
    }
}

/// Stores `v` as C type `ty` (`f` or `d`) at `addr`.
pub fn poke_f64(addr: usize, ty: u8, v: f64) {
    assert!(addr != 0, "ffi: poke at a null address");
    // SAFETY: the caller promises `addr` has room for that type.
    unsafe {
        match C::from_letter(ty) {
            Some(C::F32) => (addr as *mut f32).write_unaligned(v as f32),
            Some(C::F64) => (addr as *mut f64).write_unaligned(v),
            _ => panic!(
                "ffi: `{}` is not a floating-point C type letter",
                ty as char
            ),
        }
    }
}

/// A `malloc`ed NUL-terminated copy of `s` ([`free`] it).
pub fn to_cstr(s: Str) -> usize {
    let b = s.as_bytes();
    // SAFETY: fresh allocation of len + 1 bytes.
    unsafe {
        let p = c::malloc(b.len() + 1) as *mut u8;
        assert!(!p.is_null(), "ffi: out of memory");
        std::ptr::copy_nonoverlapping(b.as_ptr(), p, b.len());
        *p.add(b.len()) = 0;
        p as usize
    }
}

/// The bytes of the NUL-terminated string at `addr` (empty for 0).
pub fn from_cstr(addr: usize) -> Str {
    if addr == 0 {
        return Str::from_byte_slice(b"");
    }
    // SAFETY: the caller promises a NUL-terminated string.
    Str::from_byte_slice(unsafe { CStr::from_ptr(addr as *const c_char) }.to_bytes())
}

// ---- callbacks: a pool of receivers taking every argument register.

const POOL: usize = 32;

struct Slot {
    sig: Sig,
    id: i64,
    ctx: usize,
}

static SLOTS: Mutex<Vec<Slot>> = Mutex::new(Vec::new());

fn dispatch(n: usize, regs: [i64; 6], fregs: [f64; 8]) -> i64 {
    let (args, id, ctx) = {
        let slots = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
        (slots[n].sig.args.clone(), slots[n].id, slots[n].ctx)
    };
    let (mut ni, mut nf) = (0, 0);
    let mut iv = Vec::new();
    let mut fv = Vec::new();
    for c in args {
        if c.is_float() {
            let r = fregs[nf];
            fv.push(if c == C::F32 {
                f32::from_bits(r.to_bits() as u32) as f64
            } else {
                r
            });
            nf += 1;
        } else {
            iv.push(c.extend(regs[ni]));
            ni += 1;
        }
    }
    let ints = GcArray::new(iv.len(), 0i64);
    for (k, v) in iv.into_iter().enumerate() {
        ints.set(k, v);
    }
    let floats = GcArray::new(fv.len(), 0f64);
    for (k, v) in fv.into_iter().enumerate() {
        floats.set(k, v);
    }
    let h = FFI_CALLBACK_HANDLERS
        .first()
        .expect("ffi: callback without a `#[vmkit::ffi_callback]` function in the program");
    h(ctx as *const (), id, ints, floats)
}

/// A receiver of the pool: takes every argument register, returns the handler's result as the
/// C result (`$conv` turns its 64 bits into the return type).
macro_rules! receiver {
    ($name:ident, $ret:ty, $conv:expr) => {
        #[allow(clippy::too_many_arguments)]
        unsafe extern "C" fn $name<const N: usize>(
            a: i64,
            b: i64,
            c: i64,
            d: i64,
            e: i64,
            f: i64,
            x0: f64,
            x1: f64,
            x2: f64,
            x3: f64,
            x4: f64,
            x5: f64,
            x6: f64,
            x7: f64,
        ) -> $ret {
            let conv: fn(i64) -> $ret = $conv;
            conv(dispatch(
                N,
                [a, b, c, d, e, f],
                [x0, x1, x2, x3, x4, x5, x6, x7],
            ))
        }
    };
}

receiver!(recv, i64, |r| r);
// For `d` results: the handler's result is the bits of the double.
receiver!(recv_f, f64, |r| f64::from_bits(r as u64));

type Recv = unsafe extern "C" fn(
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
) -> i64;
type RecvF = unsafe extern "C" fn(
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
) -> f64;

macro_rules! pool {
    ($f:ident, $t:ty; $($n:literal)*) => { [$($f::<$n> as $t),*] };
}

static RECEIVERS: [Recv; POOL] = pool!(recv, Recv; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);
static RECEIVERS_F: [RecvF; POOL] = pool!(recv_f, RecvF; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);

/// A C function pointer with signature `sig` that calls the program's
/// `#[vmkit::ffi_callback]` function with `ctx`, `id` and its arguments (integer-class in
/// `ints`, float-class in `floats`, in order); its result is the C result (for a `d` or `f`
/// result: the bits of the double). `ctx` (of the
/// handler's first parameter type) stays alive as long as the program runs.
pub fn callback<T>(sig: Str, id: i64, ctx: Gc<T>) -> usize {
    let s = parse(sig);
    assert!(
        s.ret != C::F32,
        "ffi (untranslated): callbacks cannot return `f`"
    );
    let ni = s.args.iter().filter(|c| !c.is_float()).count();
    assert!(
        ni <= 6 && s.args.len() - ni <= 8,
        "ffi (untranslated): callbacks take at most 6 integer and 8 floating-point arguments"
    );
    let mut slots = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
    assert!(
        slots.len() < POOL,
        "ffi (untranslated): at most {POOL} callbacks"
    );
    let float_ret = s.ret == C::F64;
    slots.push(Slot {
        sig: s,
        id,
        ctx: Gc::into_raw(ctx) as usize,
    });
    if float_ret {
        RECEIVERS_F[slots.len() - 1] as usize
    } else {
        RECEIVERS[slots.len() - 1] as usize
    }
}
