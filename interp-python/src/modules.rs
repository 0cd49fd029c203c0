//! Modules: `import` of the user's own modules (compiled by the front end) and the built-in
//! modules `math`, `sys`, `time` and `random`; files (`open`) and standard input.

use crate::args::kwarg;
use crate::builtins::{
    F_CLOSE, F_ENTER, F_EXIT, F_FLUSH, F_READ, F_READLINE, F_READLINES, F_SEEK, F_TELL, F_WRITE,
    F_WRITELINES, MODULE_BASE,
};
use crate::call;
use crate::exc::*;
use crate::object::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::io;
use vmkit::{Gc, GcArray, GcList, GcMap, Mut, Str, StrBuilder};

/// Float functions without a DSL built-in: evaluated by the host's libm.
#[vmkit::host]
pub fn py_math(which: i64, x: f64, y: f64) -> f64 {
    match which {
        0 => x.tan(),
        1 => x.atan(),
        2 => x.atan2(y),
        3 => x.log2(),
        4 => x.log10(),
        5 => x.hypot(y),
        6 => x.asin(),
        7 => x.acos(),
        8 => x.sinh(),
        9 => x.cosh(),
        10 => x.tanh(),
        11 => x.ln_1p(),
        12 => x.exp_m1(),
        13 => x.cbrt(),
        14 => x.trunc(),
        15 => x.copysign(y),
        16 => x % y,
        17 => x.round(),
        23 => {
            // IEEE remainder: x - n*y with n the integer nearest x/y (ties to even).
            if y.is_infinite() {
                return x;
            }
            let n = (x / y).round();
            let r = x - n * y;
            let half = (x / y) - (x / y).trunc();
            if half.abs() == 0.5 && (n % 2.0) != 0.0 {
                let n2 = n - (x / y).signum();
                return x - n2 * y;
            }
            r
        }
        19 => {
            // ulp(x)
            if x.is_infinite() {
                return x;
            }
            let b = x.to_bits();
            f64::from_bits(b + 1) - x
        }
        20 => {
            // nextafter(x, y)
            if x.is_nan() || y.is_nan() {
                return f64::NAN;
            }
            if x == y {
                return y;
            }
            if x == 0.0 {
                return if y > 0.0 {
                    f64::from_bits(1)
                } else {
                    -f64::from_bits(1)
                };
            }
            let b = x.to_bits();
            let up = (y > x) == (x > 0.0);
            f64::from_bits(if up { b + 1 } else { b - 1 })
        }
        21 => {
            // erf by its series / continued fraction (Abramowitz-Stegun 7.1.26 is too coarse).
            let t = 1.0 / (1.0 + 0.5 * x.abs());
            let y = 1.0
                - t * (-x * x - 1.26551223
                    + t * (1.00002368
                        + t * (0.37409196
                            + t * (0.09678418
                                + t * (-0.18628806
                                    + t * (0.27886807
                                        + t * (-1.13520398
                                            + t * (1.48851587
                                                + t * (-0.82215223 + t * 0.17087277)))))))))
                    .exp();
            if x >= 0.0 {
                y
            } else {
                -y
            }
        }
        22 => {
            // gamma: exact factorials for small positive integers, Lanczos otherwise.
            if x == x.floor() && x > 0.0 && x < 171.0 {
                let mut r = 1.0;
                let mut k = 2.0;
                while k < x {
                    r *= k;
                    k += 1.0;
                }
                return r;
            }
            let g = 7.0;
            let c = [
                0.999_999_999_999_809_9,
                676.5203681218851,
                -1259.1392167224028,
                771.323_428_777_653_1,
                -176.615_029_162_140_6,
                12.507343278686905,
                -0.13857109526572012,
                9.984_369_578_019_572e-6,
                1.5056327351493116e-7,
            ];
            if x < 0.5 {
                return std::f64::consts::PI
                    / ((std::f64::consts::PI * x).sin() * py_math(22, 1.0 - x, 0.0));
            }
            let x = x - 1.0;
            let mut a = c[0];
            let t = x + g + 0.5;
            for (i, ci) in c.iter().enumerate().skip(1) {
                a += ci / (x + i as f64);
            }
            (2.0 * std::f64::consts::PI).sqrt() * t.powf(x + 0.5) * (-t).exp() * a
        }
        18 => {
            // Round to y decimal places, correctly rounded like CPython (through decimal text).
            let d = y as i64;
            if !x.is_finite() || x == 0.0 || d > 330 {
                return x;
            }
            if d >= 0 {
                let t = format!("{:.*}", d as usize, x);
                return t.parse().unwrap_or(x);
            }
            // Significant digits to keep: exponent + d + 1.
            let e: i64 = format!("{:e}", x)
                .split_once('e')
                .map(|(_, e)| e.parse().unwrap_or(0))
                .unwrap_or(0);
            let sig = e + d + 1;
            if sig <= 0 {
                // |x| < 10**(-d): 0 or ±10**(-d) (half to even: exactly half rounds to 0).
                let p = 10f64.powi((-d) as i32);
                if sig == 0 && x.abs() > 0.5 * p {
                    return p.copysign(x);
                }
                return 0.0f64.copysign(x);
            }
            let t = format!("{:.*e}", (sig - 1) as usize, x);
            t.parse().unwrap_or(x)
        }
        _ => f64::NAN,
    }
}

/// Seconds since the epoch (`which` 0), a monotonic clock (1), process CPU time (2); or sleeps
/// `x` seconds (3).
#[vmkit::host]
pub fn py_time(which: i64, x: f64) -> f64 {
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let start = *START.get_or_init(Instant::now);
    match which {
        0 => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0),
        1 | 2 => start.elapsed().as_secs_f64(),
        3 => {
            if x > 0.0 {
                std::thread::sleep(Duration::from_secs_f64(x));
            }
            0.0
        }
        _ => 0.0,
    }
}

/// `float.hex()`: `[-]0x1.<13 hex digits>p<exp>` (`0x0.0p+0` for zero).
#[vmkit::host]
pub fn py_float_hex(x: f64) -> Str {
    let text = if x.is_nan() {
        "nan".to_string()
    } else if x.is_infinite() {
        if x > 0.0 {
            "inf".to_string()
        } else {
            "-inf".to_string()
        }
    } else {
        let sign = if x.is_sign_negative() { "-" } else { "" };
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64;
        let mant = bits & ((1u64 << 52) - 1);
        if exp == 0 && mant == 0 {
            format!("{sign}0x0.0p+0")
        } else if exp == 0 {
            format!("{sign}0x0.{:013x}p-1022", mant)
        } else {
            let e = exp - 1023;
            format!(
                "{sign}0x1.{:013x}p{}{}",
                mant,
                if e >= 0 { "+" } else { "" },
                e
            )
        }
    };
    Str::from_byte_slice(text.as_bytes())
}

/// `float.fromhex(s)` as text that `parse_f64` reads back exactly (`{:e}` is the shortest
/// round-trip form), or empty for malformed input.
#[vmkit::host]
pub fn py_float_fromhex(s: Str) -> Str {
    fn parse_hex_float(text: &str) -> Option<f64> {
        let t = text.trim().to_ascii_lowercase();
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r.to_string()),
            None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
        };
        if t == "inf" || t == "infinity" {
            return Some(if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        if t == "nan" {
            return Some(f64::NAN);
        }
        let t = t.strip_prefix("0x").unwrap_or(&t);
        let (mant, exp) = match t.split_once('p') {
            Some((m, e)) => (m, e.parse::<i64>().ok()?),
            None => (t, 0),
        };
        let (ip, fp) = mant.split_once('.').unwrap_or((mant, ""));
        if ip.is_empty() && fp.is_empty() {
            return None;
        }
        let mut v = 0f64;
        for c in ip.chars() {
            v = v * 16.0 + c.to_digit(16)? as f64;
        }
        let mut scale = 1.0 / 16.0;
        for c in fp.chars() {
            v += c.to_digit(16)? as f64 * scale;
            scale /= 16.0;
        }
        let r = v * 2f64.powi(exp as i32);
        Some(if neg { -r } else { r })
    }
    let out = match parse_hex_float(&String::from_utf8_lossy(s.as_bytes())) {
        Some(v) if v.is_nan() => "nan".to_string(),
        Some(v) if v.is_infinite() => {
            if v > 0.0 {
                "inf".to_string()
            } else {
                "-inf".to_string()
            }
        }
        Some(v) => format!("{:e}", v),
        None => String::new(),
    };
    Str::from_byte_slice(out.as_bytes())
}

pub fn round_float(f: f64, d: i64) -> f64 {
    py_math(18, f, d as f64)
}

const M_MATH: i64 = MODULE_BASE;
const M_SYS: i64 = MODULE_BASE + 100;
const M_TIME: i64 = MODULE_BASE + 200;
const M_RANDOM: i64 = MODULE_BASE + 300;

fn math_name(i: i64) -> Str {
    match i {
        0 => Str::from("sqrt"),
        1 => Str::from("floor"),
        2 => Str::from("ceil"),
        3 => Str::from("sin"),
        4 => Str::from("cos"),
        5 => Str::from("tan"),
        6 => Str::from("exp"),
        7 => Str::from("log"),
        8 => Str::from("log2"),
        9 => Str::from("log10"),
        10 => Str::from("pow"),
        11 => Str::from("fabs"),
        12 => Str::from("factorial"),
        13 => Str::from("gcd"),
        14 => Str::from("isqrt"),
        15 => Str::from("isnan"),
        16 => Str::from("isinf"),
        17 => Str::from("isfinite"),
        18 => Str::from("atan"),
        19 => Str::from("atan2"),
        20 => Str::from("hypot"),
        21 => Str::from("trunc"),
        22 => Str::from("copysign"),
        23 => Str::from("fmod"),
        24 => Str::from("asin"),
        25 => Str::from("acos"),
        26 => Str::from("degrees"),
        27 => Str::from("radians"),
        28 => Str::from("comb"),
        29 => Str::from("perm"),
        30 => Str::from("prod"),
        31 => Str::from("fsum"),
        32 => Str::from("lcm"),
        33 => Str::from("isclose"),
        34 => Str::from("modf"),
        35 => Str::from("sinh"),
        36 => Str::from("cosh"),
        37 => Str::from("tanh"),
        38 => Str::from("log1p"),
        39 => Str::from("expm1"),
        40 => Str::from("cbrt"),
        41 => Str::from("dist"),
        42 => Str::from("frexp"),
        48 => Str::from("remainder"),
        43 => Str::from("ldexp"),
        44 => Str::from("ulp"),
        45 => Str::from("nextafter"),
        46 => Str::from("erf"),
        47 => Str::from("gamma"),
        _ => Str::from(""),
    }
}

fn sys_name(i: i64) -> Str {
    match i {
        0 => Str::from("exit"),
        1 => Str::from("getrecursionlimit"),
        2 => Str::from("setrecursionlimit"),
        3 => Str::from("intern"),
        4 => Str::from("getsizeof"),
        5 => Str::from("set_int_max_str_digits"),
        6 => Str::from("get_int_max_str_digits"),
        _ => Str::from(""),
    }
}

fn time_name(i: i64) -> Str {
    match i {
        0 => Str::from("time"),
        1 => Str::from("perf_counter"),
        2 => Str::from("sleep"),
        3 => Str::from("monotonic"),
        4 => Str::from("process_time"),
        5 => Str::from("time_ns"),
        6 => Str::from("perf_counter_ns"),
        7 => Str::from("monotonic_ns"),
        _ => Str::from(""),
    }
}

fn random_name(i: i64) -> Str {
    match i {
        0 => Str::from("seed"),
        1 => Str::from("random"),
        2 => Str::from("randint"),
        3 => Str::from("randrange"),
        4 => Str::from("choice"),
        5 => Str::from("shuffle"),
        6 => Str::from("sample"),
        7 => Str::from("uniform"),
        8 => Str::from("getrandbits"),
        9 => Str::from("Random"),
        _ => Str::from(""),
    }
}

pub fn func_name(id: i64) -> Str {
    let i = id % 100;
    let base = id - i;
    if base == M_MATH {
        math_name(i)
    } else if base == M_SYS {
        sys_name(i)
    } else if base == M_TIME {
        time_name(i)
    } else if base == M_RANDOM {
        random_name(i)
    } else if base == crate::ffimod::M_FFI {
        crate::ffimod::name(i)
    } else {
        Str::from("?")
    }
}

fn new_module(vm: Gc<Vm>, name: Str, file: Str) -> (Value, GcMap<Str, Value>) {
    let attrs: GcMap<Str, Value> = GcMap::new();
    let m = Value::Obj(Gc::new(Object {
        cls: Mut::new(ty(vm, T_MODULE)),
        kind: Kind::Module(Gc::new(Module { name, file })),
        attrs: Mut::new(Some(attrs)),
        shape: Mut::new(None),
        slots: Mut::new(None),
        ident: Mut::new(0),
    }));
    attrs.insert(Str::from("__name__"), strs::new_str(vm, name));
    (m, attrs)
}

fn add_funcs(vm: Gc<Vm>, m: Value, attrs: GcMap<Str, Value>, base: i64) {
    for i in 0..100 {
        let name = func_name(base + i);
        if name.is_empty() || name == Str::from("?") {
            continue;
        }
        attrs.insert(name, new_obj(ty(vm, T_BUILTIN), Kind::Builtin(base + i, m)));
    }
}

/// `sys.version_info`: a tuple subclass with named fields.
fn version_info(vm: Gc<Vm>) -> Value {
    let vi = GcArray::new(5, Value::Int(3));
    vi.set(1, Value::Int(11));
    vi.set(2, Value::Int(0));
    vi.set(3, strs::new_str(vm, Str::from("final")));
    vi.set(4, Value::Int(0));
    let bases = GcArray::new(1, ty(vm, T_TUPLE));
    let ns: GcMap<Str, Value> = GcMap::new();
    ns.insert(Str::from("__module__"), strs::new_str(vm, Str::from("sys")));
    let cls = match new_class(
        vm,
        ty(vm, T_TYPE),
        Str::from("version_info"),
        Str::from("sys.version_info"),
        bases,
        ns,
    ) {
        Some(c) => c,
        None => return ops::new_tuple(vm, vi),
    };
    let o = Value::Obj(Gc::new(Object {
        cls: Mut::new(cls),
        kind: Kind::Tuple(vi),
        attrs: Mut::new(Some(GcMap::new())),
        shape: Mut::new(None),
        slots: Mut::new(None),
        ident: Mut::new(0),
    }));
    if let Value::Obj(ob) = o {
        if let Some(at) = ob.attrs.get() {
            at.insert(Str::from("major"), vi.get(0));
            at.insert(Str::from("minor"), vi.get(1));
            at.insert(Str::from("micro"), vi.get(2));
            at.insert(Str::from("releaselevel"), vi.get(3));
            at.insert(Str::from("serial"), vi.get(4));
        }
    }
    o
}

/// Records a module in `sys.modules` (the dict programs see) and the interpreter's table.
fn register_module(vm: Gc<Vm>, name: Str, m: Value) {
    vm.modules.insert(name, m);
    let _ = crate::dict::set_data(
        vm,
        crate::dict::dict_of(vm.sys_modules),
        strs::new_str(vm, name),
        m,
    );
}

pub fn std_file(vm: Gc<Vm>, std: i64) -> Value {
    let (path, mode) = if std == 1 {
        (Str::from("<stdout>"), Str::from("w"))
    } else if std == 2 {
        (Str::from("<stderr>"), Str::from("w"))
    } else {
        (Str::from("<stdin>"), Str::from("r"))
    };
    new_obj(
        ty(vm, T_FILE),
        Kind::File(Gc::new(FileData {
            path,
            mode,
            data: Mut::new(Str::from("")),
            pos: Mut::new(0),
            closed: Mut::new(false),
            binary: false,
            writable: std != 3,
            std,
        })),
    )
}

fn builtin_module(vm: Gc<Vm>, name: Str) -> Value {
    if name == Str::from("math") {
        let (m, a) = new_module(vm, name, Str::from(""));
        add_funcs(vm, m, a, M_MATH);
        a.insert(Str::from("pi"), Value::Float(3.141592653589793));
        a.insert(Str::from("e"), Value::Float(2.718281828459045));
        a.insert(Str::from("tau"), Value::Float(6.283185307179586));
        a.insert(Str::from("inf"), Value::Float(f64::INFINITY));
        a.insert(Str::from("nan"), Value::Float(f64::NAN));
        return m;
    }
    if name == Str::from("sys") {
        let (m, a) = new_module(vm, name, Str::from(""));
        add_funcs(vm, m, a, M_SYS);
        a.insert(Str::from("argv"), vm.argv.get());
        a.insert(Str::from("stdout"), std_file(vm, 1));
        a.insert(Str::from("stderr"), std_file(vm, 2));
        a.insert(Str::from("stdin"), std_file(vm, 3));
        a.insert(
            Str::from("__stdout__"),
            a.get(Str::from("stdout")).unwrap_or(Value::Nil),
        );
        a.insert(
            Str::from("__stderr__"),
            a.get(Str::from("stderr")).unwrap_or(Value::Nil),
        );
        a.insert(Str::from("maxsize"), Value::Int(i64::MAX));
        a.insert(
            Str::from("byteorder"),
            strs::new_str(vm, Str::from("little")),
        );
        a.insert(Str::from("platform"), strs::new_str(vm, Str::from("linux")));
        a.insert(
            Str::from("version"),
            strs::new_str(vm, Str::from("3.11.0 (pyvm)")),
        );
        a.insert(
            Str::from("implementation"),
            strs::new_str(vm, Str::from("pyvm")),
        );
        let vi = GcArray::new(5, Value::Int(3));
        vi.set(1, Value::Int(11));
        vi.set(2, Value::Int(0));
        vi.set(3, strs::new_str(vm, Str::from("final")));
        vi.set(4, Value::Int(0));
        a.insert(Str::from("version_info"), ops::new_tuple(vm, vi));
        let path: GcList<Value> = GcList::new();
        path.push(strs::new_str(vm, vm.script_dir));
        a.insert(Str::from("path"), ops::new_list(vm, path));
        a.insert(Str::from("modules"), vm.sys_modules);
        for i in 0..vm.modules.len() {
            let _ = crate::dict::set_data(
                vm,
                crate::dict::dict_of(vm.sys_modules),
                strs::new_str(vm, vm.modules.key_at(i)),
                vm.modules.value_at(i),
            );
        }
        a.insert(Str::from("version_info"), version_info(vm));
        let fi = new_obj_with_attrs(ty(vm, T_OBJECT), Kind::Plain);
        if let Value::Obj(o) = fi {
            if let Some(m) = o.attrs.get() {
                m.insert(Str::from("max"), Value::Float(1.7976931348623157e308));
                m.insert(Str::from("min"), Value::Float(2.2250738585072014e-308));
                m.insert(Str::from("epsilon"), Value::Float(2.220446049250313e-16));
                m.insert(Str::from("dig"), Value::Int(15));
                m.insert(Str::from("mant_dig"), Value::Int(53));
                m.insert(Str::from("max_exp"), Value::Int(1024));
                m.insert(Str::from("min_exp"), Value::Int(-1021));
                m.insert(Str::from("radix"), Value::Int(2));
            }
        }
        a.insert(Str::from("float_info"), fi);
        return m;
    }
    if name == Str::from("time") {
        let (m, a) = new_module(vm, name, Str::from(""));
        add_funcs(vm, m, a, M_TIME);
        return m;
    }
    if name == Str::from("random") {
        let (m, a) = new_module(vm, name, Str::from(""));
        add_funcs(vm, m, a, M_RANDOM);
        return m;
    }
    if name == Str::from("_ffi") {
        let (m, a) = new_module(vm, name, Str::from(""));
        add_funcs(vm, m, a, crate::ffimod::M_FFI);
        return m;
    }
    Value::Null
}

/// `import name`.
pub fn import(vm: Gc<Vm>, name: Str) -> Result<Value, Value> {
    if let Some(m) = vm.modules.get(name) {
        return Ok(m);
    }
    let b = builtin_module(vm, name);
    if !b.is_null() {
        register_module(vm, name, b);
        if name == Str::from("sys") {
            vm.sys.set(b);
        }
        return Ok(b);
    }
    let mut path = vm.script_dir.concat(name).concat(Str::from(".py"));
    let mut found = io::read_file(path);
    if found.is_none() {
        // pyvm's own library (`interp-python/lib/`), after the script's directory.
        let lib = crate::py_stdlib_source(name);
        if lib.len() > 0 {
            path = Str::from("<pyvm>/").concat(name).concat(Str::from(".py"));
            found = Some(lib);
        }
    }
    let source = match found {
        Some(s) => s,
        None => {
            let e = new_exc(
                vm,
                T_MODULE_NOT_FOUND_ERROR,
                Str::from("No module named '")
                    .concat(name)
                    .concat(Str::from("'")),
            );
            if let Some(a) = exc_attrs(e) {
                a.insert(Str::from("name"), strs::new_str(vm, name));
            }
            return Err(e);
        }
    };
    let compiled = crate::py_compile(path, source, name);
    if compiled.len() == 0 || compiled.byte_at(0) != b'O' {
        let text = compiled.slice(1, compiled.len());
        // The last line is "SyntaxError: message".
        let mut start: usize = 0;
        let mut i: usize = 0;
        let t = strs::strip_bytes(text);
        while i < t.len() {
            if t.byte_at(i) == b'\n' {
                start = i + 1;
            }
            i += 1;
        }
        let last = t.slice(start, t.len());
        let msg = match last.find(Str::from(": "), 0) {
            Some(p) => last.slice(p + 2, last.len()),
            None => last,
        };
        return Err(new_exc(vm, T_SYNTAX_ERROR, msg));
    }
    let code = crate::decode::decode_module(vm, compiled);
    let (m, attrs) = new_module(vm, name, path);
    attrs.insert(Str::from("__file__"), strs::new_str(vm, path));
    register_module(vm, name, m);
    match crate::interp::run_module_code(vm, code, attrs) {
        Ok(_) => Ok(m),
        Err(e) => {
            vm.modules.remove(name);
            let _ = crate::dict::delitem(vm, vm.sys_modules, strs::new_str(vm, name));
            Err(e)
        }
    }
}

pub fn import_from(vm: Gc<Vm>, m: Value, name: Str) -> Result<Value, Value> {
    let v = ops::getattr_opt(vm, m, name)?;
    if v.is_null() {
        let (mname, file) = match m {
            Value::Obj(o) => match o.kind {
                Kind::Module(md) => (md.name, md.file),
                _ => (Str::from("?"), Str::from("")),
            },
            _ => (Str::from("?"), Str::from("")),
        };
        let loc = if file.is_empty() {
            Str::from("unknown location")
        } else {
            file
        };
        let e = new_exc(
            vm,
            T_IMPORT_ERROR,
            Str::from("cannot import name '")
                .concat(name)
                .concat(Str::from("' from '"))
                .concat(mname)
                .concat(Str::from("' ("))
                .concat(loc)
                .concat(Str::from(")")),
        );
        if let Some(a) = exc_attrs(e) {
            a.insert(Str::from("name"), strs::new_str(vm, mname));
        }
        return Err(e);
    }
    Ok(v)
}

/// `from m import *`: the names in `m.__all__`, or else those not starting with `_`.
pub fn import_star(vm: Gc<Vm>, m: Value, dst: GcMap<Str, Value>) -> Result<Value, Value> {
    if let Value::Obj(o) = m {
        if let Some(a) = o.attrs.get() {
            if let Some(all) = a.get(Str::from("__all__")) {
                let names = ops::to_list(vm, all)?;
                for i in 0..names.len() {
                    let k = match strs::as_str(names.get(i)) {
                        Some(k) => k,
                        None => {
                            let mname = match o.kind {
                                Kind::Module(md) => md.name,
                                _ => Str::from("module"),
                            };
                            return type_error(
                                vm,
                                Str::from("Item in ")
                                    .concat(mname)
                                    .concat(Str::from(".__all__ must be str, not "))
                                    .concat(type_name(vm, names.get(i))),
                            );
                        }
                    };
                    dst.insert(k, ops::getattr(vm, m, k)?);
                }
                return Ok(Value::Nil);
            }
            for i in 0..a.len() {
                let k = a.key_at(i);
                if k.len() > 0 && k.byte_at(0) != b'_' {
                    dst.insert(k, a.value_at(i));
                }
            }
        }
    }
    Ok(Value::Nil)
}

fn float_arg(vm: Gc<Vm>, v: Value) -> Result<f64, Value> {
    match ops::float_view(vm, v)? {
        Some(f) => Ok(f),
        None => {
            if let Value::Obj(o) = v {
                if is_user_class(o.cls.get()) {
                    let f = lookup_user(o.cls.get(), Str::from("__float__"));
                    if !f.is_null() {
                        let r = call::call1(vm, f, v)?;
                        if let Value::Float(x) = r {
                            return Ok(x);
                        }
                    }
                }
            }
            Err(new_exc(
                vm,
                T_TYPE_ERROR,
                Str::from("must be real number, not ").concat(type_name(vm, v)),
            ))
        }
    }
}

fn domain_error(vm: Gc<Vm>) -> Result<Value, Value> {
    value_error(vm, Str::from("math domain error"))
}

fn checked_float(vm: Gc<Vm>, r: f64, x: f64) -> Result<Value, Value> {
    if r != r && x == x {
        return domain_error(vm);
    }
    if ops::is_inf(r) && ops::is_finite(x) {
        return err(vm, T_OVERFLOW_ERROR, Str::from("math range error"));
    }
    Ok(Value::Float(r))
}

fn float_to_int(vm: Gc<Vm>, f: f64) -> Result<Value, Value> {
    if f != f {
        return value_error(vm, Str::from("cannot convert float NaN to integer"));
    }
    if ops::is_inf(f) {
        return err(
            vm,
            T_OVERFLOW_ERROR,
            Str::from("cannot convert float infinity to integer"),
        );
    }
    Ok(ops::long_value(vm, crate::bigint::from_f64(f)))
}

fn int_arg(vm: Gc<Vm>, v: Value, fname: Str) -> Result<Value, Value> {
    match ops::int_view(v) {
        ops::IntView::NotInt => {
            if let Value::Float(_) = v {
                return type_error(
                    vm,
                    Str::from("'float' object cannot be interpreted as an integer"),
                );
            }
            let _ = fname;
            let i = ops::index_of(vm, v)?;
            Ok(Value::Int(i))
        }
        _ => Ok(v),
    }
}

fn math_func(
    vm: Gc<Vm>,
    i: i64,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = args.len() - names.len();
    let name = math_name(i);
    let needed = match i {
        10 | 19 | 20 | 22 | 23 | 33 | 41 | 43 | 45 => 2,
        7 => 1,
        30 | 31 => 1,
        _ => 1,
    };
    if n < needed && i != 13 && i != 32 {
        return type_error(
            vm,
            name.concat(Str::from("() takes exactly one argument ("))
                .concat(Str::from_i64(n as i64))
                .concat(Str::from(" given)")),
        );
    }
    let a = if n > 0 { args.get(0) } else { Value::Int(0) };
    match i {
        0 => {
            let x = float_arg(vm, a)?;
            if x < 0.0 {
                return domain_error(vm);
            }
            Ok(Value::Float(x.sqrt()))
        }
        1 | 2 | 21 => {
            if let Value::Obj(o) = a {
                if is_user_class(o.cls.get()) {
                    let m = if i == 1 {
                        Str::from("__floor__")
                    } else if i == 2 {
                        Str::from("__ceil__")
                    } else {
                        Str::from("__trunc__")
                    };
                    let f = lookup_user(o.cls.get(), m);
                    if !f.is_null() {
                        return call::call1(vm, f, a);
                    }
                }
            }
            if !matches!(ops::int_view(a), ops::IntView::NotInt) {
                return ops::unary(vm, 0, a);
            }
            let x = float_arg(vm, a)?;
            float_to_int(
                vm,
                if i == 1 {
                    x.floor()
                } else if i == 2 {
                    x.ceil()
                } else {
                    py_math(14, x, 0.0)
                },
            )
        }
        3 | 4 | 6 => {
            let x = float_arg(vm, a)?;
            if ops::is_inf(x) && i != 6 {
                return domain_error(vm);
            }
            let r = if i == 3 {
                x.sin()
            } else if i == 4 {
                x.cos()
            } else {
                x.exp()
            };
            checked_float(vm, r, x)
        }
        7 | 8 | 9 => {
            // log(x[, base]) works for big ints too (through their float value or digits).
            let x = match ops::int_view(a) {
                ops::IntView::Big(b) => {
                    let bits = crate::bigint::bit_length(b);
                    if b.neg {
                        return domain_error(vm);
                    }
                    if bits > 1000 {
                        let shifted = crate::bigint::shr(b, (bits - 60) as u64);
                        let f = crate::bigint::to_f64(shifted).unwrap_or(1.0);
                        let ln = f.ln() + ((bits - 60) as f64) * 2.0f64.ln();
                        let r = if i == 7 {
                            ln
                        } else if i == 8 {
                            ln / 2.0f64.ln()
                        } else {
                            ln / 10.0f64.ln()
                        };
                        if i == 7 && n > 1 {
                            let base = float_arg(vm, args.get(1))?;
                            return Ok(Value::Float(r / base.ln()));
                        }
                        return Ok(Value::Float(r));
                    }
                    float_arg(vm, a)?
                }
                _ => float_arg(vm, a)?,
            };
            if x <= 0.0 {
                return domain_error(vm);
            }
            let r = if i == 7 {
                x.ln()
            } else if i == 8 {
                py_math(3, x, 0.0)
            } else {
                py_math(4, x, 0.0)
            };
            if i == 7 && n > 1 {
                let base = float_arg(vm, args.get(1))?;
                if base <= 0.0 || base == 1.0 {
                    if base == 1.0 {
                        return err(
                            vm,
                            T_ZERO_DIVISION_ERROR,
                            Str::from("float division by zero"),
                        );
                    }
                    return domain_error(vm);
                }
                return Ok(Value::Float(r / base.ln()));
            }
            Ok(Value::Float(r))
        }
        5 | 18 | 24 | 25 | 35 | 36 | 37 | 38 | 39 | 40 => {
            let x = float_arg(vm, a)?;
            let which = match i {
                5 => 0,
                18 => 1,
                24 => 6,
                25 => 7,
                35 => 8,
                36 => 9,
                37 => 10,
                38 => 11,
                39 => 12,
                _ => 13,
            };
            checked_float(vm, py_math(which, x, 0.0), x)
        }
        10 => {
            let x = float_arg(vm, a)?;
            let y = float_arg(vm, args.get(1))?;
            if x == 0.0 && y < 0.0 {
                return domain_error(vm);
            }
            if x < 0.0 && y != y.floor() && ops::is_finite(y) {
                return domain_error(vm);
            }
            let r = x.powf(y);
            if ops::is_inf(r) && ops::is_finite(x) && ops::is_finite(y) {
                return err(vm, T_OVERFLOW_ERROR, Str::from("math range error"));
            }
            Ok(Value::Float(r))
        }
        11 => Ok(Value::Float(float_arg(vm, a)?.abs())),
        12 => {
            let k = match ops::int_view(a) {
                ops::IntView::Small(k) => k,
                ops::IntView::Big(_) => {
                    return err(
                        vm,
                        T_OVERFLOW_ERROR,
                        Str::from("factorial() argument should not exceed 9223372036854775807"),
                    )
                }
                ops::IntView::NotInt => {
                    if let Value::Float(_) = a {
                        return type_error(
                            vm,
                            Str::from("'float' object cannot be interpreted as an integer"),
                        );
                    }
                    ops::index_of(vm, a)?
                }
            };
            if k < 0 {
                return value_error(vm, Str::from("factorial() not defined for negative values"));
            }
            let mut r = Value::Int(1);
            let mut j: i64 = 2;
            while j <= k {
                r = ops::binary_op(vm, crate::opcode::OP_MUL, r, Value::Int(j))?;
                j += 1;
            }
            Ok(r)
        }
        13 | 32 => {
            // gcd / lcm of any number of ints.
            let mut acc = if i == 13 {
                Value::Int(0)
            } else {
                Value::Int(1)
            };
            for k in 0..n {
                let b = int_arg(vm, args.get(k), name)?;
                if i == 13 {
                    let mut x = ops::unary(vm, 0, acc)?;
                    let mut y = b;
                    x = abs_int(vm, x)?;
                    y = abs_int(vm, y)?;
                    while ops::truthy(vm, y)? {
                        let t = ops::binary_op(vm, crate::opcode::OP_MOD, x, y)?;
                        x = y;
                        y = t;
                    }
                    acc = x;
                } else {
                    if !ops::truthy(vm, b)? || !ops::truthy(vm, acc)? {
                        acc = Value::Int(0);
                        continue;
                    }
                    let mut x = abs_int(vm, acc)?;
                    let mut y = abs_int(vm, b)?;
                    let prod = ops::binary_op(vm, crate::opcode::OP_MUL, x, y)?;
                    while ops::truthy(vm, y)? {
                        let t = ops::binary_op(vm, crate::opcode::OP_MOD, x, y)?;
                        x = y;
                        y = t;
                    }
                    acc = ops::binary_op(vm, crate::opcode::OP_FLOORDIV, prod, x)?;
                }
            }
            Ok(acc)
        }
        14 => {
            let v = int_arg(vm, a, name)?;
            if ops::truthy(
                vm,
                ops::compare(vm, crate::opcode::CMP_LT, v, Value::Int(0))?,
            )? {
                return value_error(vm, Str::from("isqrt() argument must be nonnegative"));
            }
            if !ops::truthy(vm, v)? {
                return Ok(Value::Int(0));
            }
            // Newton's method on integers.
            let bits = match ops::int_view(v) {
                ops::IntView::Small(s) => {
                    let mut m = s as u64;
                    let mut b: i64 = 0;
                    while m != 0 {
                        m >>= 1;
                        b += 1;
                    }
                    b
                }
                ops::IntView::Big(b) => crate::bigint::bit_length(b),
                ops::IntView::NotInt => 1,
            };
            let mut x = ops::binary_op(
                vm,
                crate::opcode::OP_LSHIFT,
                Value::Int(1),
                Value::Int((bits + 1) / 2),
            )?;
            loop {
                let q = ops::binary_op(vm, crate::opcode::OP_FLOORDIV, v, x)?;
                let s = ops::binary_op(vm, crate::opcode::OP_ADD, x, q)?;
                let y = ops::binary_op(vm, crate::opcode::OP_RSHIFT, s, Value::Int(1))?;
                if ops::truthy(vm, ops::compare(vm, crate::opcode::CMP_GE, y, x)?)? {
                    return Ok(x);
                }
                x = y;
            }
        }
        15 => Ok(Value::Bool(float_arg(vm, a)?.is_nan())),
        16 => Ok(Value::Bool(ops::is_inf(float_arg(vm, a)?))),
        17 => Ok(Value::Bool(ops::is_finite(float_arg(vm, a)?))),
        19 | 20 | 22 | 23 => {
            let x = float_arg(vm, a)?;
            let y = float_arg(vm, args.get(1))?;
            if i == 23 && (y == 0.0 || ops::is_inf(x)) {
                return domain_error(vm);
            }
            let which = if i == 19 {
                2
            } else if i == 20 {
                5
            } else if i == 22 {
                15
            } else {
                16
            };
            Ok(Value::Float(py_math(which, x, y)))
        }
        26 => Ok(Value::Float(
            float_arg(vm, a)? * (180.0 / 3.141592653589793),
        )),
        27 => Ok(Value::Float(
            float_arg(vm, a)? * (3.141592653589793 / 180.0),
        )),
        28 | 29 => {
            let nn = int_arg(vm, a, name)?;
            let kk = if n > 1 {
                int_arg(vm, args.get(1), name)?
            } else {
                nn
            };
            let nv = ops::index_of(vm, nn)?;
            let kv = ops::index_of(vm, kk)?;
            if nv < 0 || kv < 0 {
                return value_error(vm, Str::from("n must be a non-negative integer"));
            }
            if kv > nv {
                return Ok(Value::Int(0));
            }
            let mut r = Value::Int(1);
            let k2 = if i == 28 && kv > nv - kv { nv - kv } else { kv };
            for j in 0..k2 {
                r = ops::binary_op(vm, crate::opcode::OP_MUL, r, Value::Int(nv - j))?;
                if i == 28 {
                    r = ops::binary_op(vm, crate::opcode::OP_FLOORDIV, r, Value::Int(j + 1))?;
                }
            }
            Ok(r)
        }
        30 => {
            let items = ops::to_list(vm, a)?;
            let mut r = Value::Int(1);
            let st = kwarg(args, names, Str::from("start"));
            if !st.is_null() {
                r = st;
            }
            for k in 0..items.len() {
                r = ops::binary_op(vm, crate::opcode::OP_MUL, r, items.get(k))?;
            }
            Ok(r)
        }
        31 => {
            // Neumaier compensated summation (close to CPython's exact fsum for common inputs).
            let items = ops::to_list(vm, a)?;
            let mut s = 0.0;
            let mut c = 0.0;
            for k in 0..items.len() {
                let x = float_arg(vm, items.get(k))?;
                let t = s + x;
                if s.abs() >= x.abs() {
                    c += (s - t) + x;
                } else {
                    c += (x - t) + s;
                }
                s = t;
            }
            Ok(Value::Float(s + c))
        }
        33 => {
            let x = float_arg(vm, a)?;
            let y = float_arg(vm, args.get(1))?;
            let rt = kwarg(args, names, Str::from("rel_tol"));
            let at = kwarg(args, names, Str::from("abs_tol"));
            let rel = if rt.is_null() {
                1e-09
            } else {
                float_arg(vm, rt)?
            };
            let abs_t = if at.is_null() {
                0.0
            } else {
                float_arg(vm, at)?
            };
            if x == y {
                return Ok(Value::Bool(true));
            }
            if ops::is_inf(x) || ops::is_inf(y) {
                return Ok(Value::Bool(false));
            }
            let d = (x - y).abs();
            Ok(Value::Bool(
                d <= (rel * y.abs()).max(rel * x.abs()) || d <= abs_t,
            ))
        }
        34 => {
            let x = float_arg(vm, a)?;
            let ip = py_math(14, x, 0.0);
            let t = GcArray::new(2, Value::Float(x - ip));
            t.set(1, Value::Float(ip));
            if ops::is_inf(x) {
                t.set(0, Value::Float(py_math(15, 0.0, x)));
            }
            Ok(ops::new_tuple(vm, t))
        }
        42 => {
            let x = float_arg(vm, a)?;
            let t = GcArray::new(2, Value::Float(0.0));
            t.set(1, Value::Int(0));
            if x == 0.0 || x != x || ops::is_inf(x) {
                t.set(0, Value::Float(x));
                return Ok(ops::new_tuple(vm, t));
            }
            let mut m = x.abs();
            let mut e: i64 = 0;
            while m >= 1.0 {
                m *= 0.5;
                e += 1;
            }
            while m < 0.5 {
                m *= 2.0;
                e -= 1;
            }
            t.set(0, Value::Float(if x < 0.0 { -m } else { m }));
            t.set(1, Value::Int(e));
            Ok(ops::new_tuple(vm, t))
        }
        43 => {
            let x = float_arg(vm, a)?;
            let e = ops::index_of(vm, args.get(1))?;
            let r = x * 2.0f64.powi(e as i32);
            if ops::is_inf(r) && ops::is_finite(x) {
                return err(vm, T_OVERFLOW_ERROR, Str::from("math range error"));
            }
            Ok(Value::Float(r))
        }
        44 => {
            let x = float_arg(vm, a)?.abs();
            Ok(Value::Float(py_math(19, x, 0.0)))
        }
        45 => {
            let x = float_arg(vm, a)?;
            let y = float_arg(vm, args.get(1))?;
            Ok(Value::Float(py_math(20, x, y)))
        }
        46 | 47 => {
            let x = float_arg(vm, a)?;
            Ok(Value::Float(py_math(if i == 46 { 21 } else { 22 }, x, 0.0)))
        }
        48 => {
            let x = float_arg(vm, a)?;
            let y = float_arg(vm, args.get(1))?;
            if y == 0.0 || ops::is_inf(x) {
                return domain_error(vm);
            }
            Ok(Value::Float(py_math(23, x, y)))
        }
        41 => {
            let p = ops::to_list(vm, a)?;
            let q = ops::to_list(vm, args.get(1))?;
            let mut s = 0.0;
            for k in 0..p.len() {
                let d = float_arg(vm, p.get(k))? - float_arg(vm, q.get(k))?;
                s += d * d;
            }
            Ok(Value::Float(s.sqrt()))
        }
        _ => type_error(
            vm,
            name.concat(Str::from("() is not supported by pyvm yet")),
        ),
    }
}

fn abs_int(vm: Gc<Vm>, v: Value) -> Result<Value, Value> {
    if ops::truthy(
        vm,
        ops::compare(vm, crate::opcode::CMP_LT, v, Value::Int(0))?,
    )? {
        return ops::unary(vm, 1, v);
    }
    Ok(v)
}

/// `sys.exit(code)`.
fn sys_exit(vm: Gc<Vm>, args: GcArray<Value>) -> Result<Value, Value> {
    let t = if args.len() > 0 {
        GcArray::new(1, args.get(0))
    } else {
        GcArray::new(0, Value::Nil)
    };
    Err(new_exc_obj(ty(vm, T_SYSTEM_EXIT), ops::new_tuple(vm, t)))
}

pub fn call_module_func(
    vm: Gc<Vm>,
    id: i64,
    selfv: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let _ = selfv;
    let i = id % 100;
    let base = id - i;
    if base == M_MATH {
        return math_func(vm, i, args, names);
    }
    if base == M_SYS {
        return match i {
            0 => sys_exit(vm, args),
            1 => Ok(Value::Int(vm.recursion_limit.get())),
            2 => {
                let k = ops::index_of(vm, args.get(0))?;
                if k < 1 {
                    return value_error(
                        vm,
                        Str::from("recursion limit must be greater or equal than 1"),
                    );
                }
                vm.recursion_limit.set(k);
                Ok(Value::Nil)
            }
            3 => Ok(args.get(0)),
            5 => {
                let k = ops::index_of(vm, args.get(0))?;
                if k != 0 && k < 640 {
                    return value_error(vm, Str::from("maxdigits must be 0 or larger than 640"));
                }
                vm.int_max_str_digits.set(k);
                Ok(Value::Nil)
            }
            6 => Ok(Value::Int(vm.int_max_str_digits.get())),
            _ => Ok(Value::Int(64)),
        };
    }
    if base == M_TIME {
        return match i {
            0 => Ok(Value::Float(py_time(0, 0.0))),
            1 | 3 | 4 => Ok(Value::Float(py_time(1, 0.0))),
            2 => {
                let x = float_arg(vm, args.get(0))?;
                if x < 0.0 {
                    return value_error(vm, Str::from("sleep length must be non-negative"));
                }
                py_time(3, x);
                Ok(Value::Nil)
            }
            5 => Ok(Value::Int((py_time(0, 0.0) * 1e9) as i64)),
            _ => Ok(Value::Int((py_time(1, 0.0) * 1e9) as i64)),
        };
    }
    if base == M_RANDOM {
        return crate::random::call(vm, i, selfv, args, names);
    }
    if base == crate::ffimod::M_FFI {
        return crate::ffimod::call_func(vm, i, args);
    }
    type_error(vm, Str::from("unknown module function"))
}

// ---------------------------------------------------------------------------------------------
// Files and standard input

fn file_data(vm: Gc<Vm>, f: Value) -> Result<Gc<FileData>, Value> {
    if let Value::Obj(o) = f {
        if let Kind::File(d) = o.kind {
            return Ok(d);
        }
    }
    Err(new_exc(vm, T_TYPE_ERROR, Str::from("not a file")))
}

fn load_stdin(vm: Gc<Vm>) {
    if vm.stdin_loaded.get() {
        return;
    }
    vm.stdin_loaded.set(true);
    let b = StrBuilder::new();
    loop {
        let c = io::read_byte();
        if c < 0 {
            break;
        }
        b.push_byte(c as u8);
    }
    vm.stdin_buf.set(b.build());
    vm.stdin_pos.set(0);
}

/// Reads one line (with its newline) from standard input; empty at end of input.
fn stdin_line(vm: Gc<Vm>) -> Str {
    load_stdin(vm);
    let buf = vm.stdin_buf.get();
    let p = vm.stdin_pos.get() as usize;
    let mut e = p;
    while e < buf.len() && buf.byte_at(e) != b'\n' {
        e += 1;
    }
    if e < buf.len() {
        e += 1;
    }
    vm.stdin_pos.set(e as i64);
    buf.slice(p, e)
}

/// `input([prompt])`.
pub fn input(vm: Gc<Vm>, prompt: Value) -> Result<Value, Value> {
    if !prompt.is_null() {
        io::print(ops::str_of(vm, prompt)?);
    }
    io::flush();
    let line = stdin_line(vm);
    if line.is_empty() {
        return Err(new_exc(
            vm,
            T_EOF_ERROR,
            Str::from("EOF when reading a line"),
        ));
    }
    let l = if line.byte_at(line.len() - 1) == b'\n' {
        line.slice(0, line.len() - 1)
    } else {
        line
    };
    Ok(strs::new_str(vm, l))
}

/// `open(path, mode='r')`.
pub fn open(vm: Gc<Vm>, args: GcArray<Value>, names: GcArray<Str>) -> Result<Value, Value> {
    let n = args.len() - names.len();
    let path_v = if n > 0 { args.get(0) } else { Value::Null };
    let path = match strs::as_str(path_v) {
        Some(p) => p,
        None => {
            return type_error(
                vm,
                Str::from("expected str, bytes or os.PathLike object, not ")
                    .concat(type_name(vm, path_v)),
            )
        }
    };
    let mut mode_v = if n > 1 { args.get(1) } else { Value::Null };
    for i in 0..names.len() {
        if names.get(i) == Str::from("mode") {
            mode_v = args.get(n + i);
        }
    }
    let mode = if mode_v.is_null() {
        Str::from("r")
    } else {
        strs::as_str(mode_v).unwrap_or(Str::from("r"))
    };
    // Valid modes: one of r w a x, optionally b or t, optionally +.
    let mut kinds = 0;
    let mut valid = mode.len() > 0;
    for k in 0..mode.len() {
        let c = mode.byte_at(k);
        if c == b'r' || c == b'w' || c == b'a' || c == b'x' {
            kinds += 1;
        } else if c != b'b' && c != b't' && c != b'+' {
            valid = false;
        }
    }
    if !valid || kinds != 1 {
        return value_error(
            vm,
            Str::from("invalid mode: '")
                .concat(mode)
                .concat(Str::from("'")),
        );
    }
    let binary = mode.find(Str::from("b"), 0).is_some();
    let write = mode.find(Str::from("w"), 0).is_some();
    let append = mode.find(Str::from("a"), 0).is_some();
    let excl = mode.find(Str::from("x"), 0).is_some();
    let plus = mode.find(Str::from("+"), 0).is_some();
    let existing = io::read_file(path);
    let data = if write {
        Str::from("")
    } else if append {
        existing.unwrap_or(Str::from(""))
    } else if excl {
        if existing.is_some() {
            return Err(os_error(
                vm,
                T_FILE_EXISTS_ERROR,
                17,
                Str::from("File exists"),
                path,
            ));
        }
        Str::from("")
    } else {
        match existing {
            Some(d) => d,
            None => {
                return Err(os_error(
                    vm,
                    T_FILE_NOT_FOUND_ERROR,
                    2,
                    Str::from("No such file or directory"),
                    path,
                ))
            }
        }
    };
    if write || append || excl {
        if !io::write_file(path, data) {
            return Err(os_error(
                vm,
                T_FILE_NOT_FOUND_ERROR,
                2,
                Str::from("No such file or directory"),
                path,
            ));
        }
    }
    let pos = if append { data.len() as i64 } else { 0 };
    let f = new_obj(
        ty(vm, T_FILE),
        Kind::File(Gc::new(FileData {
            path,
            mode,
            data: Mut::new(data),
            pos: Mut::new(pos),
            closed: Mut::new(false),
            binary,
            writable: write || append || excl || plus,
            std: 0,
        })),
    );
    Ok(f)
}

fn os_error(vm: Gc<Vm>, id: i64, errno: i64, msg: Str, path: Str) -> Value {
    let t = GcArray::new(3, Value::Int(errno));
    t.set(1, strs::new_str(vm, msg));
    t.set(2, strs::new_str(vm, path));
    let e = new_exc_obj(ty(vm, id), ops::new_tuple(vm, t));
    e
}

fn closed_error(vm: Gc<Vm>) -> Result<Value, Value> {
    value_error(vm, Str::from("I/O operation on closed file."))
}

fn file_result(vm: Gc<Vm>, d: Gc<FileData>, s: Str) -> Value {
    if d.binary {
        return crate::bytes::new_bytes(vm, s);
    }
    strs::new_str(vm, s)
}

pub fn file_method(
    vm: Gc<Vm>,
    id: i64,
    f: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let d = file_data(vm, f)?;
    let n = args.len() - names.len();
    if d.closed.get() && id != F_CLOSE && id != F_EXIT {
        return closed_error(vm);
    }
    match id {
        F_WRITE => {
            let v = args.get(0);
            let s = if d.binary {
                crate::bytes::bytes_of(vm, v)?
            } else {
                match strs::as_str(v) {
                    Some(s) => s,
                    None => {
                        return type_error(
                            vm,
                            Str::from("write() argument must be str, not ")
                                .concat(type_name(vm, v)),
                        )
                    }
                }
            };
            if d.std == 1 {
                io::print(s);
            } else if d.std == 2 {
                io::flush();
                io::eprint(s);
            } else {
                if !d.writable {
                    return Err(new_exc(
                        vm,
                        T_UNSUPPORTED_OPERATION,
                        Str::from("not writable"),
                    ));
                }
                let data = d.data.get();
                let p = d.pos.get() as usize;
                let end = if p + s.len() < data.len() {
                    data.slice(p + s.len(), data.len())
                } else {
                    Str::from("")
                };
                d.data.set(
                    data.slice(0, if p < data.len() { p } else { data.len() })
                        .concat(s)
                        .concat(end),
                );
                d.pos.set((p + s.len()) as i64);
                io::write_file(d.path, d.data.get());
            }
            Ok(Value::Int(if d.binary {
                s.len() as i64
            } else {
                strs::count_chars(s)
            }))
        }
        F_READ => {
            if d.std == 3 {
                load_stdin(vm);
                let buf = vm.stdin_buf.get();
                let p = vm.stdin_pos.get() as usize;
                vm.stdin_pos.set(buf.len() as i64);
                return Ok(strs::new_str(vm, buf.slice(p, buf.len())));
            }
            let data = d.data.get();
            let p = d.pos.get() as usize;
            let p = if p > data.len() { data.len() } else { p };
            let mut e = data.len();
            if n > 0 && !args.get(0).is_nil() {
                let k = ops::index_of(vm, args.get(0))?;
                if k >= 0 {
                    e = if d.binary {
                        if p + k as usize > data.len() {
                            data.len()
                        } else {
                            p + k as usize
                        }
                    } else {
                        let rest = data.slice(p, data.len());
                        p + strs::byte_offset(rest, strs::count_chars(rest), k)
                    };
                }
            }
            d.pos.set(e as i64);
            Ok(file_result(vm, d, data.slice(p, e)))
        }
        F_READLINE => {
            if d.std == 3 {
                return Ok(strs::new_str(vm, stdin_line(vm)));
            }
            let data = d.data.get();
            let p = d.pos.get() as usize;
            let mut e = p;
            while e < data.len() && data.byte_at(e) != b'\n' {
                e += 1;
            }
            if e < data.len() {
                e += 1;
            }
            d.pos.set(e as i64);
            Ok(file_result(
                vm,
                d,
                data.slice(if p > data.len() { data.len() } else { p }, e),
            ))
        }
        F_READLINES => {
            let out: GcList<Value> = GcList::new();
            loop {
                let l = file_method(vm, F_READLINE, f, GcArray::new(0, Value::Nil), vm.no_names)?;
                let empty = match l {
                    Value::Obj(o) => match o.kind {
                        Kind::Str(s, _) => s.is_empty(),
                        Kind::Bytes(s) => s.is_empty(),
                        _ => true,
                    },
                    _ => true,
                };
                if empty {
                    break;
                }
                out.push(l);
            }
            Ok(ops::new_list(vm, out))
        }
        F_CLOSE => {
            d.closed.set(true);
            Ok(Value::Nil)
        }
        F_ENTER => Ok(f),
        F_EXIT => {
            d.closed.set(true);
            Ok(Value::Bool(false))
        }
        F_TELL => Ok(Value::Int(d.pos.get())),
        F_SEEK => {
            let off = ops::index_of(vm, args.get(0))?;
            let whence = if n > 1 {
                ops::index_of(vm, args.get(1))?
            } else {
                0
            };
            let p = if whence == 2 {
                d.data.get().len() as i64 + off
            } else if whence == 1 {
                d.pos.get() + off
            } else {
                off
            };
            if p < 0 {
                return value_error(
                    vm,
                    Str::from("negative seek position ").concat(Str::from_i64(p)),
                );
            }
            d.pos.set(p);
            Ok(Value::Int(p))
        }
        F_WRITELINES => {
            let items = ops::to_list(vm, args.get(0))?;
            for i in 0..items.len() {
                file_method(vm, F_WRITE, f, GcArray::new(1, items.get(i)), vm.no_names)?;
            }
            Ok(Value::Nil)
        }
        F_FLUSH => {
            if d.std == 1 {
                io::flush();
            }
            Ok(Value::Nil)
        }
        _ => Ok(Value::Nil),
    }
}
