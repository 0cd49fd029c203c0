//! `vmkit::ffi`: calls into the C library with signatures given at run time — integer and
//! pointer arguments (`strlen`, `abs`, `labs`, `strtol` writing through an out-pointer), narrow
//! and unsigned results (`toupper`), doubles and floats (`pow`, `ldexp`, `sqrtf`), a variadic
//! call (`snprintf` with integer and string arguments), C memory (`malloc`, `peek`, `poke`,
//! strings), and a callback from C into the program (`qsort` sorting C ints with a comparator
//! written in the DSL).

use vmkit::ffi;
use vmkit::{io, Gc, GcArray, GcList, Mut, Str};

/// The callbacks' context: counts comparator calls.
pub struct Counter {
    calls: Mut<i64>,
}

fn print(s: Str) {
    io::print(s.concat(Str::from("\n")));
}

fn ints(a: i64, b: i64, c: i64) -> GcArray<i64> {
    let v: GcArray<i64> = GcArray::new(3, 0);
    v.set(0, a);
    v.set(1, b);
    v.set(2, c);
    v
}

fn no_floats() -> GcArray<f64> {
    GcArray::new(0, 0.0)
}

fn floats(x: f64) -> GcArray<f64> {
    GcArray::new(1, x)
}

fn libc(name: Str) -> usize {
    let f = ffi::symbol(ffi::open(Str::from("")), name);
    if f == 0 {
        print(Str::from("missing symbol: ").concat(ffi::error()));
    }
    f
}

/// The comparator `qsort` calls: id 1 compares ascending, id 2 descending.
#[vmkit::ffi_callback]
pub fn on_callback(ctx: Gc<Counter>, id: i64, args: GcArray<i64>, _floats: GcArray<f64>) -> i64 {
    ctx.calls.set(ctx.calls.get() + 1);
    let a = ffi::peek(args.get(0) as usize, b'i');
    let b = ffi::peek(args.get(1) as usize, b'i');
    let c = if a < b {
        -1
    } else if a > b {
        1
    } else {
        0
    };
    if id == 2 {
        -c
    } else {
        c
    }
}

fn show_ints(p: usize, n: usize) -> Str {
    let mut s = Str::from("");
    let mut i: usize = 0;
    while i < n {
        if i > 0 {
            s = s.concat(Str::from(" "));
        }
        s = s.concat(Str::from_i64(ffi::peek(p + 4 * i, b'i')));
        i += 1;
    }
    s
}

#[vmkit::entry]
pub fn entry(_args: GcList<Str>) -> i64 {
    let hello = ffi::to_cstr(Str::from("hello, world"));
    let n = ffi::call(libc(Str::from("strlen")), Str::from("L(p)"), ints(hello as i64, 0, 0), no_floats());
    print(Str::from("strlen = ").concat(Str::from_i64(n)));
    print(Str::from("from_cstr = ").concat(ffi::from_cstr(hello + 7)));

    let abs = libc(Str::from("abs"));
    print(Str::from("abs(-42) = ").concat(Str::from_i64(ffi::call(abs, Str::from("i(i)"), ints(-42, 0, 0), no_floats()))));
    // Only the low 32 bits are the C int: 2^32 - 5 is -5 as an int.
    print(Str::from("abs((int)(2^32-5)) = ").concat(Str::from_i64(ffi::call(abs, Str::from("i(i)"), ints(4294967291, 0, 0), no_floats()))));
    print(Str::from("labs = ").concat(Str::from_i64(ffi::call(libc(Str::from("labs")), Str::from("l(l)"), ints(-9000000000, 0, 0), no_floats()))));
    print(Str::from("toupper('q') = ").concat(Str::from_i64(ffi::call(libc(Str::from("toupper")), Str::from("i(i)"), ints(113, 0, 0), no_floats()))));

    // strtol(" -123xyz", &end, 10): a result and an out-pointer.
    let text = ffi::to_cstr(Str::from(" -123xyz"));
    let endp = ffi::malloc(8);
    let v = ffi::call(libc(Str::from("strtol")), Str::from("l(ppi)"), ints(text as i64, endp as i64, 10), no_floats());
    let end = ffi::peek(endp, b'p') as usize;
    print(Str::from("strtol = ").concat(Str::from_i64(v)).concat(Str::from(", rest = ")).concat(ffi::from_cstr(end)));

    // Doubles and floats.
    let two_ten: GcArray<f64> = GcArray::new(2, 2.0);
    two_ten.set(1, 10.0);
    print(Str::from("pow(2, 10) = ").concat(Str::from_f64(ffi::call_f64(libc(Str::from("pow")), Str::from("d(dd)"), ints(0, 0, 0), two_ten))));
    print(Str::from("ldexp(0.75, 4) = ").concat(Str::from_f64(ffi::call_f64(libc(Str::from("ldexp")), Str::from("d(di)"), ints(4, 0, 0), floats(0.75)))));
    print(Str::from("sqrtf(2.25) = ").concat(Str::from_f64(ffi::call_f64(libc(Str::from("sqrtf")), Str::from("f(f)"), ints(0, 0, 0), floats(2.25)))));

    // A variadic call: snprintf(buf, 64, "%d-%s-%ld", 7, "seven", -77).
    let buf = ffi::malloc(64);
    let fmt = ffi::to_cstr(Str::from("%d-%s-%ld"));
    let seven = ffi::to_cstr(Str::from("seven"));
    let args: GcArray<i64> = GcArray::new(6, 0);
    args.set(0, buf as i64);
    args.set(1, 64);
    args.set(2, fmt as i64);
    args.set(3, 7);
    args.set(4, seven as i64);
    args.set(5, -77);
    let w = ffi::call(libc(Str::from("snprintf")), Str::from("i(pLp...ipl)"), args, no_floats());
    print(Str::from("snprintf -> ").concat(Str::from_i64(w)).concat(Str::from(" ")).concat(ffi::from_cstr(buf)));

    // qsort with callbacks into the program.
    let n: usize = 9;
    let arr = ffi::malloc(4 * n);
    let mut i: usize = 0;
    while i < n {
        ffi::poke(arr + 4 * i, b'i', ((i as i64) * 7919) % 23 - 11);
        i += 1;
    }
    print(Str::from("before: ").concat(show_ints(arr, n)));
    let qsort = libc(Str::from("qsort"));
    let counter = Gc::new(Counter { calls: Mut::new(0) });
    let up = ffi::callback(Str::from("i(pp)"), 1, counter);
    ffi::call(qsort, Str::from("v(pLLp)"), ints4(arr as i64, n as i64, 4, up as i64), no_floats());
    print(Str::from("ascending: ").concat(show_ints(arr, n)));
    let down = ffi::callback(Str::from("i(pp)"), 2, counter);
    ffi::call(qsort, Str::from("v(pLLp)"), ints4(arr as i64, n as i64, 4, down as i64), no_floats());
    print(Str::from("descending: ").concat(show_ints(arr, n)));
    print(Str::from("comparator called: ").concat(if counter.calls.get() >= 16 { Str::from("yes") } else { Str::from("no") }));

    // Raw memory of every width.
    let m = ffi::malloc(16);
    ffi::poke(m, b'l', -2);
    print(Str::from("peek B/b/H/i/L of -2: ")
        .concat(Str::from_i64(ffi::peek(m, b'B')))
        .concat(Str::from(" "))
        .concat(Str::from_i64(ffi::peek(m, b'b')))
        .concat(Str::from(" "))
        .concat(Str::from_i64(ffi::peek(m, b'H')))
        .concat(Str::from(" "))
        .concat(Str::from_i64(ffi::peek(m, b'i')))
        .concat(Str::from(" "))
        .concat(Str::from_i64(ffi::peek(m, b'L'))));
    ffi::poke_f64(m + 8, b'f', 1.5);
    ffi::poke_f64(m, b'd', -0.25);
    print(Str::from("peek_f64: ").concat(Str::from_f64(ffi::peek_f64(m, b'd'))).concat(Str::from(" ")).concat(Str::from_f64(ffi::peek_f64(m + 8, b'f'))));

    let missing = ffi::symbol(ffi::open(Str::from("")), Str::from("no_such_symbol_anywhere"));
    print(Str::from("missing symbol = ").concat(Str::from_i64(missing as i64)));
    print(Str::from("open of a missing library = ").concat(Str::from_i64(ffi::open(Str::from("/no/such/lib.so")) as i64)));
    ffi::free(m);
    ffi::free(arr);
    ffi::free(buf);
    ffi::free(fmt);
    ffi::free(seven);
    ffi::free(endp);
    ffi::free(text);
    ffi::free(hello);
    0
}

fn ints4(a: i64, b: i64, c: i64, d: i64) -> GcArray<i64> {
    let v: GcArray<i64> = GcArray::new(4, 0);
    v.set(0, a);
    v.set(1, b);
    v.set(2, c);
    v.set(3, d);
    v
}
