//! FFI trampolines (`vmkit_trace_backend::ffi`): signature parsing, calls into real libc
//! functions and into Rust `extern "C"` functions through compiled call trampolines, callbacks
//! (from libc `qsort` and from Rust), and the variadic layouts of the arm64 Apple and Linux
//! conventions checked in the disassembly.

use std::cell::RefCell;
use std::ffi::CStr;
use vmkit_trace_backend::ffi::*;

/// The triple of the machine the tests run on (the compiled trampolines run here).
const HOST: &str = if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
    "x86_64-unknown-linux-gnu"
} else if cfg!(all(target_arch = "aarch64", target_os = "linux")) {
    "aarch64-unknown-linux-gnu"
} else if cfg!(all(target_arch = "aarch64", target_os = "macos")) {
    "aarch64-apple-darwin"
} else {
    "x86_64-apple-darwin"
};

fn sig(s: &str) -> FfiSig {
    FfiSig::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

/// Compiles the call trampoline for `s` and calls `f` through it.
fn call(s: &str, f: usize, ints: &[i64], floats: &[f64]) -> u64 {
    let code = compile_call_trampoline(HOST, &sig(s)).unwrap_or_else(|e| panic!("{s}: {e}"));
    // SAFETY: a call trampoline has this C signature.
    let t = unsafe {
        std::mem::transmute::<usize, extern "C" fn(usize, *const i64, *const f64) -> u64>(
            code.entry(),
        )
    };
    t(f, ints.as_ptr(), floats.as_ptr())
}

extern "C" {
    fn pow(x: f64, y: f64) -> f64;
    fn ldexp(x: f64, e: i32) -> f64;
    fn sqrtf(x: f32) -> f32;
}

#[test]
fn parse_good_signatures() {
    use CType::*;
    let cases: &[(&str, CType, &[CType], usize)] = &[
        ("i(p)", I32, &[Ptr], 1),
        ("v()", Void, &[], 0),
        ("i(pLp...ld)", I32, &[Ptr, U64, Ptr, I64, F64], 3),
        ("d(...d)", F64, &[F64], 0),
        ("i(p...)", I32, &[Ptr], 1),
        (
            "p(bBhHiIlLfdp)",
            Ptr,
            &[I8, U8, I16, U16, I32, U32, I64, U64, F32, F64, Ptr],
            11,
        ),
        ("f(f)", F32, &[F32], 1),
    ];
    for &(s, ret, args, nfixed) in cases {
        let g = FfiSig::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(
            g,
            FfiSig {
                ret,
                args: args.to_vec(),
                nfixed
            },
            "{s}"
        );
        assert_eq!(g.is_variadic(), nfixed < args.len(), "{s}");
        // Display is the inverse of parse (up to a trailing `...`).
        assert_eq!(FfiSig::parse(&g.to_string()), Ok(g.clone()), "{s}");
    }
    assert_eq!(sig("i(pLp...ld)").to_string(), "i(pLp...ld)");
    assert_eq!(sig("i(pLp...ld)").arg_counts(), (4, 1));
    assert!(CType::F32.is_float() && CType::F64.is_float());
    assert!(!CType::Ptr.is_float() && !CType::I8.is_float() && !CType::Void.is_float());
}

#[test]
fn parse_bad_signatures() {
    for (s, expect) in [
        ("", "empty"),
        ("i", "missing `(`"),
        ("ip)", "expected `(` at position 1"),
        ("(i)", "missing return type"),
        ("x(i)", "unknown type letter `x` at position 0"),
        ("i(pq)", "unknown type letter `q` at position 3"),
        ("i(pv)", "`v` (void) at position 3"),
        ("i(p", "missing `)`"),
        ("i(p)x", "unexpected `x` after `)` at position 4"),
        ("i(p..d)", "incomplete `...` at position 3"),
        ("i(p...l...d)", "second `...` at position 7"),
        ("ii(p)", "expected `(` at position 1"),
    ] {
        let e = FfiSig::parse(s).expect_err(s);
        assert!(e.contains(expect), "{s:?}: {e}");
        assert!(
            e.contains(&format!("`{s}`")),
            "{s:?}: the message names the signature: {e}"
        );
    }
    // Hand-built signatures are checked too.
    let bad = FfiSig {
        ret: CType::I32,
        args: vec![CType::Void],
        nfixed: 1,
    };
    assert!(build_call_trampoline(HOST, &bad)
        .unwrap_err()
        .contains("void"));
    let bad = FfiSig {
        ret: CType::I32,
        args: vec![CType::I32],
        nfixed: 2,
    };
    assert!(build_call_trampoline(HOST, &bad)
        .unwrap_err()
        .contains("nfixed"));
}

#[test]
fn libc_integer_functions() {
    let s = c"hello, trampoline";
    assert_eq!(
        call(
            "L(p)",
            libc::strlen as *const () as usize,
            &[s.as_ptr() as i64],
            &[]
        ),
        17
    );
    assert_eq!(
        call("i(i)", libc::abs as *const () as usize, &[-42], &[]),
        42
    );
    // The argument is truncated to int: the upper 32 bits are ignored.
    assert_eq!(
        call(
            "i(i)",
            libc::abs as *const () as usize,
            &[0x7777_7777_ffff_fff9],
            &[]
        ),
        7
    );
    // An int result is sign-extended to 64 bits.
    assert_eq!(
        call(
            "i(i)",
            libc::abs as *const () as usize,
            &[i32::MIN as i64],
            &[]
        ),
        i32::MIN as i64 as u64
    );
    assert_eq!(
        call("l(l)", libc::labs as *const () as usize, &[-(1 << 40)], &[]),
        1 << 40
    );
    // A pointer result, as is.
    let p = call(
        "p(pi)",
        libc::strchr as *const () as usize,
        &[s.as_ptr() as i64, b',' as i64],
        &[],
    );
    assert_eq!(p, s.as_ptr() as u64 + 5);
}

#[test]
fn libc_float_functions() {
    let r = call("d(dd)", pow as *const () as usize, &[], &[2.0, 10.0]);
    assert_eq!(f64::from_bits(r), 1024.0);
    // int and float arguments mixed: each from its own array.
    let r = call("d(di)", ldexp as *const () as usize, &[-3], &[5.0]);
    assert_eq!(f64::from_bits(r), 0.625);
    // f32: the argument is demoted, the result promoted to f64.
    let r = call("f(f)", sqrtf as *const () as usize, &[], &[6.25]);
    assert_eq!(f64::from_bits(r), 2.5);
    let r = call("f(f)", sqrtf as *const () as usize, &[], &[2.0]);
    assert_eq!(f64::from_bits(r), 2.0f32.sqrt() as f64);
}

thread_local! {
    static SEEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Ten integer-class arguments (narrow ones among them) and two floats, so that some
/// integers go on the stack on every target.
#[allow(clippy::too_many_arguments)]
extern "C" fn many(
    a: i8,
    b: u8,
    c: i16,
    d: u16,
    x: f64,
    e: i32,
    f: u32,
    g: i64,
    h: *const u8,
    y: f32,
    i: u64,
    j: i8,
) -> i64 {
    // SAFETY: the test passes a C string.
    let h = unsafe { CStr::from_ptr(h.cast()) }
        .to_str()
        .unwrap_or("?")
        .to_string();
    SEEN.with(|s| {
        s.borrow_mut()
            .push(format!("{a} {b} {c} {d} {x} {e} {f} {g} {h} {y} {i} {j}"))
    });
    a as i64 + b as i64 + c as i64 + d as i64 + e as i64 + f as i64 + g + i as i64 + j as i64
}

/// Eleven floats (some on the stack) of both widths.
#[allow(clippy::too_many_arguments)]
extern "C" fn floats(
    a: f64,
    b: f32,
    c: f64,
    d: f64,
    e: f32,
    f: f64,
    g: f64,
    h: f64,
    i: f32,
    j: f64,
    k: f32,
) -> f64 {
    let v = [a, b as f64, c, d, e as f64, f, g, h, i as f64, j, k as f64];
    v.iter().enumerate().map(|(n, x)| x * (n + 1) as f64).sum()
}

extern "C" fn ret_i8() -> i8 {
    -2
}
extern "C" fn ret_u8() -> u8 {
    0xfe
}
extern "C" fn ret_u16(x: u16) -> u16 {
    x.wrapping_add(1)
}
extern "C" fn ret_u32(x: u32) -> u32 {
    x
}
extern "C" fn nothing() {
    SEEN.with(|s| s.borrow_mut().push("nothing".into()));
}

#[test]
fn stack_arguments_and_narrow_types() {
    let name = c"name";
    let ints = [
        -1i64,    // a: i8
        0x1ff,    // b: u8 -> 255
        -30000,   // c: i16
        0x1_fffe, // d: u16 -> 65534
        -100_000, // e: i32
        -2,       // f: u32 -> 4294967294
        -(1 << 50),
        name.as_ptr() as i64,
        u64::MAX as i64, // i: u64
        0x180,           // j: i8 -> -128
    ];
    let r = call(
        "l(bBhHdiIlpfLb)",
        many as *const () as usize,
        &ints,
        &[1.5, 0.25],
    );
    let seen = SEEN.with(|s| s.borrow_mut().pop()).expect("called");
    assert_eq!(
        seen,
        "-1 255 -30000 65534 1.5 -100000 4294967294 -1125899906842624 name 0.25 18446744073709551615 -128"
    );
    let expect =
        -1i64 + 255 - 30000 + 65534 - 100000 + 4294967294 - (1 << 50) + (u64::MAX as i64) - 128;
    assert_eq!(r as i64, expect);

    let xs = [1.0, 2.5, 3.0, 4.0, 5.5, 6.0, 7.0, 8.0, 9.5, 10.0, 11.25];
    let r = call("d(dfddfdddfdf)", floats as *const () as usize, &[], &xs);
    let expect: f64 = xs.iter().enumerate().map(|(n, x)| x * (n + 1) as f64).sum();
    assert_eq!(f64::from_bits(r), expect);

    // Results extended according to their C type.
    assert_eq!(
        call("b()", ret_i8 as *const () as usize, &[], &[]),
        (-2i64) as u64
    );
    assert_eq!(call("B()", ret_u8 as *const () as usize, &[], &[]), 0xfe);
    assert_eq!(
        call("H(H)", ret_u16 as *const () as usize, &[0xffff], &[]),
        0
    );
    assert_eq!(
        call("H(H)", ret_u16 as *const () as usize, &[0x7ffe], &[]),
        0x7fff
    );
    assert_eq!(
        call("I(I)", ret_u32 as *const () as usize, &[-1], &[]),
        0xffff_ffff
    );
    assert_eq!(call("v()", nothing as *const () as usize, &[], &[]), 0);
    assert_eq!(
        SEEN.with(|s| s.borrow_mut().pop()).as_deref(),
        Some("nothing")
    );
}

#[test]
fn snprintf_with_variadic_integers() {
    let mut buf = [0u8; 64];
    let n = call(
        "i(pLp...ip)",
        libc::snprintf as *const () as usize,
        &[
            buf.as_mut_ptr() as i64,
            64,
            c"%d %s".as_ptr() as i64,
            -123,
            c"abc".as_ptr() as i64,
        ],
        &[],
    );
    assert_eq!(n, 8);
    assert_eq!(
        CStr::from_bytes_until_nul(&buf).unwrap().to_str(),
        Ok("-123 abc")
    );
    // Narrow variadic integers are promoted to int (by their own signedness), longs as is.
    let mut buf = [0u8; 64];
    let n = call(
        "i(pLp...bHlL)",
        libc::snprintf as *const () as usize,
        &[
            buf.as_mut_ptr() as i64,
            64,
            c"%d %d %ld %lu".as_ptr() as i64,
            0xff,
            0x1_ffff,
            -(1 << 40),
            -1,
        ],
        &[],
    );
    let s = CStr::from_bytes_until_nul(&buf).unwrap().to_str().unwrap();
    assert_eq!(s, "-1 65535 -1099511627776 18446744073709551615");
    assert_eq!(n as usize, s.len());
}

/// Variadic doubles: not possible on x86-64 (see `variadic_floats_refused_on_x86_64`).
#[cfg(not(target_arch = "x86_64"))]
#[test]
fn snprintf_with_variadic_double() {
    let mut buf = [0u8; 64];
    call(
        "i(pLp...dlf)",
        libc::snprintf as *const () as usize,
        &[
            buf.as_mut_ptr() as i64,
            64,
            c"%.2f %ld %.1f".as_ptr() as i64,
            7,
        ],
        &[3.25, 0.5],
    );
    assert_eq!(
        CStr::from_bytes_until_nul(&buf).unwrap().to_str(),
        Ok("3.25 7 0.5")
    );
}

#[test]
fn variadic_floats_refused_on_x86_64() {
    for triple in ["x86_64-unknown-linux-gnu", "x86_64-apple-darwin"] {
        for s in ["i(pLp...ld)", "i(p...f)"] {
            let e = build_call_trampoline(triple, &sig(s)).expect_err(s);
            assert!(
                e.contains("variadic float") && e.contains("%al"),
                "{triple} {s}: {e}"
            );
            assert!(call_trampoline_disasm(triple, &sig(s)).is_err());
        }
        // Integer-only variadic arguments and fixed floats are fine.
        assert!(build_call_trampoline(triple, &sig("i(pd...lp)")).is_ok());
    }
    if HOST.starts_with("x86_64") {
        let e = compile_call_trampoline(HOST, &sig("i(pLp...ld)")).expect_err("refused");
        assert!(e.contains("variadic float"), "{e}");
    }
    // On aarch64 they are supported.
    for triple in ["aarch64-unknown-linux-gnu", "aarch64-apple-darwin"] {
        assert!(
            call_trampoline_disasm(triple, &sig("i(pLp...ld)")).is_ok(),
            "{triple}"
        );
    }
}

#[test]
fn foreign_targets_are_not_compiled_to_memory() {
    let foreign = if HOST.starts_with("x86_64") {
        "aarch64-unknown-linux-gnu"
    } else {
        "x86_64-unknown-linux-gnu"
    };
    let e = compile_call_trampoline(foreign, &sig("i(i)")).expect_err("foreign");
    assert!(e.contains("cannot run"), "{e}");
    assert!(build_call_trampoline("no-such-triple", &sig("i(i)")).is_err());
}

/// One line of a VCode listing, trimmed.
fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// The register an `ldr xN, [xM, #off]` loads `ints[off / 8]` into.
fn loaded_from(text: &str, off: u32) -> String {
    let want = format!(", #{off}]");
    let l = lines(text)
        .into_iter()
        .find(|l| l.starts_with("ldr x") && l.ends_with(&want))
        .unwrap_or_else(|| panic!("no load of ints[{}] in\n{text}", off / 8));
    l["ldr ".len()..].split(',').next().unwrap().to_string()
}

/// snprintf(buf, n, fmt, long, long): on arm64 Apple the two variadic longs go to the stack
/// in 8-byte slots; on aarch64 Linux they are passed in x3 and x4 like fixed arguments.
#[test]
fn variadic_layout_in_disassembly() {
    let s = sig("i(pLp...ll)");
    let apple = call_trampoline_disasm("aarch64-apple-darwin", &s).expect("apple");
    let linux = call_trampoline_disasm("aarch64-unknown-linux-gnu", &s).expect("linux");
    for t in [&apple, &linux] {
        assert!(t.contains("blr x"), "an indirect call:\n{t}");
    }

    // Apple: ints[3] and ints[4] (the variadic longs) are stored at [sp] and [sp, #8], before
    // the call, and the registers x3..x7 carry dummies.
    let call_at = lines(&apple)
        .iter()
        .position(|l| l.starts_with("blr"))
        .unwrap();
    let before = &lines(&apple)[..call_at];
    let v0 = loaded_from(&apple, 24);
    let v1 = loaded_from(&apple, 32);
    assert!(
        before.contains(&format!("str {v0}, [sp]").as_str()),
        "1st variadic on the stack:\n{apple}"
    );
    assert!(
        before.contains(&format!("str {v1}, [sp, #8]").as_str()),
        "2nd variadic at sp+8:\n{apple}"
    );
    let stores: Vec<_> = before
        .iter()
        .filter(|l| l.starts_with("str ") && l.contains("[sp"))
        .collect();
    assert_eq!(stores.len(), 2, "exactly the two variadic slots:\n{apple}");
    // x3 (where Linux passes the first variadic) does not get it on Apple.
    assert!(
        !before.contains(&format!("mov x3, {v0}").as_str()) && v0 != "x3",
        "{apple}"
    );

    // Linux: ints[3] -> x3, ints[4] -> x4 (loaded there or moved there), nothing on the stack.
    for (off, reg) in [(24, "x3"), (32, "x4")] {
        let r = loaded_from(&linux, off);
        assert!(
            r == reg || lines(&linux).contains(&format!("mov {reg}, {r}").as_str()),
            "ints[{}] in {reg}:\n{linux}",
            off / 8
        );
    }
    assert!(
        !lines(&linux)
            .iter()
            .any(|l| l.starts_with("str") && l.contains("[sp")),
        "no stack stores on Linux:\n{linux}"
    );

    // A variadic double on Apple: its own 8-byte slot after the long; on Linux, in d0.
    let s = sig("i(pLp...ld)");
    let apple = call_trampoline_disasm("aarch64-apple-darwin", &s).expect("apple");
    let l = lines(&apple);
    assert!(
        l.iter()
            .any(|l| l.starts_with("str d") && l.ends_with("[sp, #8]")),
        "{apple}"
    );
    let linux = call_trampoline_disasm("aarch64-unknown-linux-gnu", &s).expect("linux");
    assert!(
        lines(&linux).iter().any(|l| l.starts_with("ldr d0, ")),
        "{linux}"
    );
    assert!(
        !lines(&linux)
            .iter()
            .any(|l| l.starts_with("str") && l.contains("[sp")),
        "{linux}"
    );
}

// ---- callbacks ----

/// One call of `dispatch`: (id, ints, floats).
type Call = (i64, Vec<i64>, Vec<f64>);

thread_local! {
    /// What `dispatch` received.
    static CALLS: RefCell<Vec<Call>> = const { RefCell::new(Vec::new()) };
}

const CMP: i64 = 11;
const SCALE: i64 = 22;
const NARROW: i64 = 33;
const SUM: i64 = 44;

extern "C" fn dispatch(
    id: i64,
    ints: *const i64,
    nints: u64,
    floats: *const f64,
    nfloats: u64,
) -> u64 {
    // SAFETY: the trampoline passes buffers of `nints` and `nfloats` elements.
    let (ints, floats) = unsafe {
        (
            std::slice::from_raw_parts(ints, nints as usize).to_vec(),
            std::slice::from_raw_parts(floats, nfloats as usize).to_vec(),
        )
    };
    CALLS.with(|c| c.borrow_mut().push((id, ints.clone(), floats.clone())));
    match id {
        CMP if ints.len() == 2 => {
            // SAFETY: qsort passes pointers to two elements of the i32 array.
            let (a, b) = unsafe { (*(ints[0] as *const i32), *(ints[1] as *const i32)) };
            // Negative results as raw 64 bits (the trampoline truncates to int); descending
            // order with a large magnitude in the upper bits to check the truncation.
            (a.cmp(&b) as i32 as i64 as u64) ^ 0x5555_0000_0000_0000
        }
        SCALE if ints.len() == 1 && floats.len() == 1 => (floats[0] * ints[0] as f64).to_bits(),
        NARROW => (-1.75f64).to_bits(),
        SUM => ints.iter().sum::<i64>() as u64,
        _ => u64::MAX,
    }
}

fn callback(s: &str, id: i64) -> FfiCode {
    compile_callback_trampoline(HOST, &sig(s), id, dispatch as *const () as usize)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn qsort_with_a_callback() {
    let cb = callback("i(pp)", CMP);
    let mut v: Vec<i32> = vec![5, -3, 99, 0, 7, -100, 42, 1, 1, i32::MIN, i32::MAX];
    CALLS.with(|c| c.borrow_mut().clear());
    // SAFETY: `cb` is a C comparator `int(const void*, const void*)`.
    unsafe {
        let cmp = std::mem::transmute::<
            usize,
            extern "C" fn(*const libc::c_void, *const libc::c_void) -> i32,
        >(cb.entry());
        libc::qsort(v.as_mut_ptr().cast(), v.len(), 4, Some(cmp));
    }
    let mut sorted = v.clone();
    sorted.sort();
    assert_eq!(v, sorted);
    let calls = CALLS.with(|c| std::mem::take(&mut *c.borrow_mut()));
    assert!(!calls.is_empty());
    let (lo, hi) = (v.as_ptr() as i64, v.as_ptr() as i64 + 4 * v.len() as i64);
    for (id, ints, floats) in &calls {
        assert_eq!(*id, CMP);
        assert_eq!(ints.len(), 2);
        assert!(floats.is_empty());
        // glibc may sort a copy of the array: the pointers are 4-byte aligned, in some array.
        assert!(
            ints.iter().all(|p| p % 4 == 0 && *p != 0),
            "{ints:?} ({lo:#x}..{hi:#x})"
        );
    }
}

#[test]
fn callbacks_called_from_rust() {
    // d(dI): float argument and result, unsigned int extended to i64 by zero-extension.
    let cb = callback("d(dI)", SCALE);
    // SAFETY: the trampoline has this C signature.
    let f = unsafe { std::mem::transmute::<usize, extern "C" fn(f64, u32) -> f64>(cb.entry()) };
    CALLS.with(|c| c.borrow_mut().clear());
    assert_eq!(f(1.5, 4), 6.0);
    assert_eq!(f(-0.5, u32::MAX), -0.5 * u32::MAX as f64);
    let calls = CALLS.with(|c| std::mem::take(&mut *c.borrow_mut()));
    assert_eq!(
        calls,
        vec![
            (SCALE, vec![4], vec![1.5]),
            (SCALE, vec![u32::MAX as i64], vec![-0.5])
        ]
    );

    // f(bfHd): narrow integers extended by their signedness, f32 promoted; an f32 result.
    let cb = callback("f(bfHd)", NARROW);
    // SAFETY: as above.
    let f = unsafe {
        std::mem::transmute::<usize, extern "C" fn(i8, f32, u16, f64) -> f32>(cb.entry())
    };
    assert_eq!(f(-7, 0.1, 0xffff, 2.5), -1.75);
    let calls = CALLS.with(|c| std::mem::take(&mut *c.borrow_mut()));
    assert_eq!(
        calls,
        vec![(NARROW, vec![-7, 0xffff], vec![0.1f32 as f64, 2.5])]
    );

    // b(): the raw result -1.75's bits truncated to the C type.
    let cb = callback("b()", NARROW);
    // SAFETY: as above.
    let f = unsafe { std::mem::transmute::<usize, extern "C" fn() -> i8>(cb.entry()) };
    assert_eq!(f(), (-1.75f64).to_bits() as i8);
    assert_eq!(
        CALLS.with(|c| c.borrow_mut().pop()),
        Some((NARROW, vec![], vec![]))
    );

    // Ten longs: some arrive on the stack.
    let cb = callback("l(llllllllll)", SUM);
    type Ten = extern "C" fn(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64;
    // SAFETY: as above.
    let f = unsafe { std::mem::transmute::<usize, Ten>(cb.entry()) };
    assert_eq!(f(1, 2, 3, 4, 5, 6, 7, 8, 9, -1000), 45 - 1000);
    let calls = CALLS.with(|c| std::mem::take(&mut *c.borrow_mut()));
    assert_eq!(
        calls,
        vec![(SUM, vec![1, 2, 3, 4, 5, 6, 7, 8, 9, -1000], vec![])]
    );

    // A void callback with no arguments.
    let cb = callback("v()", SUM);
    // SAFETY: as above.
    let f = unsafe { std::mem::transmute::<usize, extern "C" fn()>(cb.entry()) };
    f();
    assert_eq!(
        CALLS.with(|c| c.borrow_mut().pop()),
        Some((SUM, vec![], vec![]))
    );
}

/// A callback trampoline passed to a call trampoline: VM -> C -> VM.
#[test]
fn callback_through_call_trampoline() {
    let cb = callback("d(dI)", SCALE);
    let r = call("d(dI)", cb.entry(), &[3], &[0.5]);
    assert_eq!(f64::from_bits(r), 1.5);
}

#[test]
fn variadic_callbacks_refused() {
    let e = build_callback_trampoline(HOST, &sig("i(p...l)"), 1, 0).expect_err("variadic");
    assert!(e.contains("variadic"), "{e}");
}

/// Many trampolines share the arena; each keeps working while the others live.
#[test]
fn many_trampolines() {
    let codes: Vec<_> = (0..40)
        .map(|k| {
            (
                k,
                compile_call_trampoline(HOST, &sig("l(l)")).expect("compile"),
            )
        })
        .collect();
    for (k, c) in &codes {
        // SAFETY: a call trampoline.
        let t = unsafe {
            std::mem::transmute::<usize, extern "C" fn(usize, *const i64, *const f64) -> u64>(
                c.entry(),
            )
        };
        assert_eq!(
            t(
                libc::labs as *const () as usize,
                [-(*k as i64)].as_ptr(),
                [].as_ptr()
            ),
            *k as u64
        );
        assert!(c.code_size() > 0);
    }
}
