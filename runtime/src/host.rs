//! Calls of user host functions (`#[vmkit::host]`) from generated code.
//!
//! `vmkit_host_call` finds the function by name in `vmkit::host::HOST_FUNCTIONS` (the
//! distributed slice every linked interpreter crate registers into), converts each argument word
//! to a [`HostVal`] by its kind, calls the function and converts the result back:
//!
//! | kind | type | word |
//! |---|---|---|
//! | 0 | `()` | (none) |
//! | 1 | `bool` | 0/1 |
//! | 2 | `i64` | the bits |
//! | 3 | `u64`/`usize`/`u8` | the value, zero-extended |
//! | 4 | `f64` | the bits |
//! | 5 | `Str` | the object pointer |
//!
//! Strings are copied across the boundary (`vmkit::Str::from_byte_slice`, which leaks the copy
//! as every untranslated `Str` does) and a `Str` result becomes a new runtime string. A missing
//! function, or a result of the wrong kind, is fatal with the graph interpreter's messages; a
//! panic of the host function becomes a fatal error through the runtime's panic hook.

use crate::fatal::fatal;
use crate::object::Obj;
use crate::str::{new_str_from, str_bytes};
use vmkit::host::{HostVal, HOST_FUNCTIONS};

/// Host value kind `()`.
pub const KIND_UNIT: u8 = 0;
/// Host value kind `bool`.
pub const KIND_BOOL: u8 = 1;
/// Host value kind `i64`.
pub const KIND_I64: u8 = 2;
/// Host value kind `u64`/`usize`/`u8`.
pub const KIND_U64: u8 = 3;
/// Host value kind `f64`.
pub const KIND_F64: u8 = 4;
/// Host value kind `Str`.
pub const KIND_STR: u8 = 5;

/// `vmkit_host_call(name, name_len, kinds, args, nargs, ret_kind, ret)`: calls the host function
/// `name` with `nargs` argument words of the given kinds; writes the result word to `ret` (unless
/// `ret_kind` is 0).
#[no_mangle]
pub unsafe extern "C" fn vmkit_host_call(
    name: *const u8,
    name_len: u64,
    kinds: *const u8,
    args: *const u64,
    nargs: u32,
    ret_kind: u8,
    ret: *mut u64,
) {
    let name = if name_len == 0 {
        &[][..]
    } else {
        std::slice::from_raw_parts(name, name_len as usize)
    };
    let Some(f) = HOST_FUNCTIONS.iter().find(|f| f.name.as_bytes() == name) else {
        fatal(&format!(
            "host function `{}` is not linked into this executable",
            String::from_utf8_lossy(name)
        ))
    };
    let mut hargs = Vec::with_capacity(nargs as usize);
    for i in 0..nargs as usize {
        let w = *args.add(i);
        hargs.push(match *kinds.add(i) {
            KIND_UNIT => HostVal::Unit,
            KIND_BOOL => HostVal::Bool(w != 0),
            KIND_I64 => HostVal::I64(w as i64),
            KIND_U64 => HostVal::U64(w),
            KIND_F64 => HostVal::F64(f64::from_bits(w)),
            KIND_STR => HostVal::Str(vmkit::Str::from_byte_slice(str_bytes(
                w as usize as *mut Obj,
            ))),
            k => fatal(&format!("internal error: invalid host value kind {k}")),
        });
    }
    let r = (f.call)(&hargs);
    let word = match (ret_kind, r) {
        (KIND_UNIT, _) => return,
        (KIND_BOOL, HostVal::Bool(b)) => b as u64,
        (KIND_BOOL, o) => fatal(&format!("host boundary: expected bool, got {o:?}")),
        (KIND_I64 | KIND_U64, HostVal::I64(x)) => x as u64,
        (KIND_I64 | KIND_U64, HostVal::U64(x)) => x,
        (KIND_I64 | KIND_U64, o) => {
            fatal(&format!("host boundary: expected an integer, got {o:?}"))
        }
        (KIND_F64, HostVal::F64(x)) => x.to_bits(),
        (KIND_F64, o) => fatal(&format!("host boundary: expected f64, got {o:?}")),
        (KIND_STR, HostVal::Str(s)) => new_str_from(s.as_bytes()) as u64,
        (KIND_STR, o) => fatal(&format!("host boundary: expected Str, got {o:?}")),
        (k, _) => fatal(&format!("internal error: invalid host value kind {k}")),
    };
    if !ret.is_null() {
        *ret = word;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{self, new_str, str_of};
    use vmkit::Str;

    #[vmkit::host]
    fn rt_test_mix(a: i64, b: u64, x: f64, flag: bool, s: Str) -> Str {
        Str::from_byte_slice(format!("{a}/{b}/{x:?}/{flag}/{s}").as_bytes())
    }

    #[vmkit::host]
    fn rt_test_add(a: i64, b: i64) -> i64 {
        a + b
    }

    #[vmkit::host]
    fn rt_test_byte(b: u8) -> u8 {
        b.wrapping_add(1)
    }

    #[vmkit::host]
    fn rt_test_unit() {}

    #[vmkit::host]
    fn rt_test_float(x: f64) -> f64 {
        x * 2.0
    }

    #[vmkit::host]
    fn rt_test_not(x: bool) -> bool {
        !x
    }

    #[vmkit::host]
    fn rt_test_panics(msg: Str) -> i64 {
        panic!("host failed: {msg}")
    }

    unsafe fn call(name: &str, kinds: &[u8], args: &[u64], ret_kind: u8) -> u64 {
        let mut ret = 0xdead;
        vmkit_host_call(
            name.as_ptr(),
            name.len() as u64,
            kinds.as_ptr(),
            args.as_ptr(),
            args.len() as u32,
            ret_kind,
            &mut ret,
        );
        ret
    }

    #[test]
    fn calls_by_name_with_conversions() {
        let _t = testutil::setup();
        unsafe {
            let s = new_str("λ!".as_bytes());
            let r = call(
                "rt_test_mix",
                &[KIND_I64, KIND_U64, KIND_F64, KIND_BOOL, KIND_STR],
                &[(-5i64) as u64, u64::MAX, 1.5f64.to_bits(), 1, s as u64],
                KIND_STR,
            );
            assert_eq!(
                str_of(r as *mut Obj),
                format!("-5/{}/1.5/true/λ!", u64::MAX).as_bytes()
            );
            assert_eq!(
                call("rt_test_add", &[KIND_I64, KIND_I64], &[40, 2], KIND_I64),
                42
            );
            assert_eq!(call("rt_test_byte", &[KIND_U64], &[255], KIND_U64), 0);
            assert_eq!(call("rt_test_unit", &[], &[], KIND_UNIT), 0xdead);
            assert_eq!(
                f64::from_bits(call(
                    "rt_test_float",
                    &[KIND_F64],
                    &[3.25f64.to_bits()],
                    KIND_F64
                )),
                6.5
            );
            assert_eq!(call("rt_test_not", &[KIND_BOOL], &[0], KIND_BOOL), 1);
        }
    }

    #[test]
    fn host_errors() {
        for (child, msg) in [
            (
                "missing",
                "host function `no_such_fn` is not linked into this executable",
            ),
            ("wrong_result", "host boundary: expected f64, got I64(42)"),
            ("panics", "host failed: oops"),
        ] {
            let out = testutil::run_child(&format!("host::tests::child_error_{child}"));
            assert_eq!(out.status.code(), Some(101), "{child}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.ends_with(&format!("fatal error: {msg}\n")),
                "{child}: {err}"
            );
        }
    }

    #[test]
    fn child_error_missing() {
        if testutil::is_child() {
            let _t = testutil::setup();
            unsafe { call("no_such_fn", &[], &[], KIND_UNIT) };
        }
    }

    #[test]
    fn child_error_wrong_result() {
        if testutil::is_child() {
            let _t = testutil::setup();
            unsafe { call("rt_test_add", &[KIND_I64, KIND_I64], &[40, 2], KIND_F64) };
        }
    }

    #[test]
    fn child_error_panics() {
        if testutil::is_child() {
            let _t = testutil::setup();
            crate::fatal::install_panic_hook();
            let s = new_str(b"oops");
            unsafe { call("rt_test_panics", &[KIND_STR], &[s as u64], KIND_I64) };
        }
    }
}
