//! Formatting: `format(v, spec)` (the format-spec mini-language used by f-strings and
//! `str.format`), `%`-formatting, and float-to-text conversion (a host function: Rust's
//! shortest round-trip digits, arranged the way Python prints floats).

use crate::bigint;
use crate::call;
use crate::exc::*;
use crate::object::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, GcList, Str, StrBuilder};

/// Float to text. `kind`: `r` repr, `f` fixed, `e` exponent, `g` general, `G`/`E`/`F` upper
/// case variants; `prec` digits; `alt` the `#` flag (keep trailing zeros for `g`).
#[vmkit::host]
pub fn py_fmt_float(x: f64, kind: u8, prec: i64, alt: bool) -> Str {
    fn exp_form(mant: &str, exp: i32) -> String {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{}{:02}", mant, sign, exp.abs())
    }
    fn split_e(s: &str) -> (String, i32) {
        let (m, e) = s.split_once('e').unwrap_or((s, "0"));
        (m.to_string(), e.parse().unwrap_or(0))
    }
    let upper = kind.is_ascii_uppercase();
    let k = kind.to_ascii_lowercase();
    let text = if x.is_nan() {
        "nan".to_string()
    } else if x.is_infinite() {
        if x > 0.0 {
            "inf".to_string()
        } else {
            "-inf".to_string()
        }
    } else {
        let p = prec.max(0) as usize;
        match k {
            b'r' => {
                let (m, e) = split_e(&format!("{:e}", x));
                if (-4..16).contains(&e) {
                    let s = format!("{}", x);
                    if s.contains('.') {
                        s
                    } else {
                        format!("{}.0", s)
                    }
                } else {
                    exp_form(&m, e)
                }
            }
            b'f' => format!("{:.*}", p, x),
            b'%' => format!("{:.*}%", p, x * 100.0),
            b'e' => {
                let (m, e) = split_e(&format!("{:.*e}", p, x));
                let m = if alt && p == 0 { format!("{}.", m) } else { m };
                exp_form(&m, e)
            }
            _ => {
                // 'g': general format with `p` significant digits.
                let p = if p == 0 { 1 } else { p };
                let (_, e) = split_e(&format!("{:.*e}", p - 1, x));
                let strip = |s: String| -> String {
                    if alt || !s.contains('.') {
                        s
                    } else {
                        s.trim_end_matches('0').trim_end_matches('.').to_string()
                    }
                };
                if e >= -4 && (e as i64) < p as i64 {
                    strip(format!(
                        "{:.*}",
                        (p as i64 - 1 - e as i64).max(0) as usize,
                        x
                    ))
                } else {
                    let (m, e) = split_e(&format!("{:.*e}", p - 1, x));
                    exp_form(&strip(m), e)
                }
            }
        }
    };
    let text = if upper {
        text.to_ascii_uppercase()
    } else {
        text
    };
    Str::from_byte_slice(text.as_bytes())
}

/// A parsed format spec: `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
struct Spec {
    fill: Str,
    align: u8,
    sign: u8,
    alt: bool,
    zero: bool,
    width: i64,
    grouping: u8,
    prec: i64,
    kind: u8,
}

fn parse_spec(vm: Gc<Vm>, s: Str) -> Result<Gc<Spec>, Value> {
    let n = s.len();
    let mut i: usize = 0;
    let mut fill = Str::from(" ");
    let mut align: u8 = 0;
    // Fill may be any character (possibly multi-byte) followed by an align character.
    if n > 0 {
        let (_, k) = strs::decode_at(s, 0);
        if k < n {
            let a = s.byte_at(k);
            if a == b'<' || a == b'>' || a == b'^' || a == b'=' {
                fill = s.slice(0, k);
                align = a;
                i = k + 1;
            }
        }
        if align == 0 {
            let a = s.byte_at(0);
            if a == b'<' || a == b'>' || a == b'^' || a == b'=' {
                align = a;
                i = 1;
            }
        }
    }
    let mut sign: u8 = 0;
    if i < n && (s.byte_at(i) == b'+' || s.byte_at(i) == b'-' || s.byte_at(i) == b' ') {
        sign = s.byte_at(i);
        i += 1;
    }
    let mut alt = false;
    if i < n && s.byte_at(i) == b'#' {
        alt = true;
        i += 1;
    }
    let mut zero = false;
    if i < n && s.byte_at(i) == b'0' {
        zero = true;
        i += 1;
    }
    let mut width: i64 = -1;
    while i < n && strs::is_digit_byte(s.byte_at(i)) {
        width = if width < 0 { 0 } else { width } * 10 + (s.byte_at(i) - b'0') as i64;
        i += 1;
    }
    let mut grouping: u8 = 0;
    if i < n && (s.byte_at(i) == b',' || s.byte_at(i) == b'_') {
        grouping = s.byte_at(i);
        i += 1;
    }
    let mut prec: i64 = -1;
    if i < n && s.byte_at(i) == b'.' {
        i += 1;
        prec = 0;
        let start = i;
        while i < n && strs::is_digit_byte(s.byte_at(i)) {
            prec = prec * 10 + (s.byte_at(i) - b'0') as i64;
            i += 1;
        }
        if i == start {
            return Err(new_exc(
                vm,
                T_VALUE_ERROR,
                Str::from("Format specifier missing precision"),
            ));
        }
    }
    let mut kind: u8 = 0;
    if i < n {
        kind = s.byte_at(i);
        i += 1;
    }
    if i < n {
        return Err(new_exc(
            vm,
            T_VALUE_ERROR,
            Str::from("Invalid format specifier"),
        ));
    }
    Ok(Gc::new(Spec {
        fill,
        align,
        sign,
        alt,
        zero,
        width,
        grouping,
        prec,
        kind,
    }))
}

/// Pads `body` (already signed) to the spec's width.
fn pad(spec: Gc<Spec>, body: Str, default_align: u8, numeric: bool) -> Str {
    let len = strs::count_chars(body);
    if spec.width <= len {
        return body;
    }
    let mut align = if spec.align == 0 {
        default_align
    } else {
        spec.align
    };
    let mut fill = spec.fill;
    if spec.zero && spec.align == 0 && numeric {
        align = b'=';
        fill = Str::from("0");
    }
    let total = spec.width - len;
    let out = StrBuilder::new();
    if align == b'<' {
        out.push_str(body);
        out.push_str(fill.repeat(total as usize));
    } else if align == b'^' {
        let left = total / 2;
        out.push_str(fill.repeat(left as usize));
        out.push_str(body);
        out.push_str(fill.repeat((total - left) as usize));
    } else if align == b'=' {
        // After the sign (and 0x prefix).
        let mut k: usize = 0;
        if body.len() > 0
            && (body.byte_at(0) == b'-' || body.byte_at(0) == b'+' || body.byte_at(0) == b' ')
        {
            k = 1;
        }
        if body.len() > k + 1 && body.byte_at(k) == b'0' {
            let c = body.byte_at(k + 1);
            if c == b'x' || c == b'X' || c == b'o' || c == b'b' {
                k += 2;
            }
        }
        out.push_str(body.slice(0, k));
        out.push_str(fill.repeat(total as usize));
        out.push_str(body.slice(k, body.len()));
    } else {
        out.push_str(fill.repeat(total as usize));
        out.push_str(body);
    }
    out.build()
}

/// Inserts a grouping separator every `every` digits of the integer part of `digits`.
fn group(digits: Str, sep: u8, every: usize) -> Str {
    let mut end = digits.len();
    for i in 0..digits.len() {
        if digits.byte_at(i) == b'.' || digits.byte_at(i) == b'e' {
            end = i;
            break;
        }
    }
    let out = StrBuilder::new();
    for i in 0..end {
        if i > 0 && (end - i) % every == 0 {
            out.push_byte(sep);
        }
        out.push_byte(digits.byte_at(i));
    }
    out.push_str(digits.slice(end, digits.len()));
    out.build()
}

fn sign_prefix(spec: Gc<Spec>, neg: bool) -> Str {
    if neg {
        Str::from("-")
    } else if spec.sign == b'+' {
        Str::from("+")
    } else if spec.sign == b' ' {
        Str::from(" ")
    } else {
        Str::from("")
    }
}

fn format_int(vm: Gc<Vm>, v: Value, spec: Gc<Spec>) -> Result<Str, Value> {
    let big = match ops::int_view(v) {
        ops::IntView::Small(i) => bigint::from_i64(i),
        ops::IntView::Big(b) => b,
        ops::IntView::NotInt => bigint::from_i64(0),
    };
    let kind = spec.kind;
    if kind == b'e'
        || kind == b'E'
        || kind == b'f'
        || kind == b'F'
        || kind == b'g'
        || kind == b'G'
        || kind == b'%'
    {
        let f = ops::float_view(vm, v)?.unwrap_or(0.0);
        return format_float(vm, f, spec);
    }
    if kind == b'c' {
        let c = bigint::to_i64(big).unwrap_or(0);
        return Ok(pad(spec, strs::encode_char(c), b'<', false));
    }
    let neg = big.neg;
    let mag = bigint::abs(big);
    let (base, prefix) = match kind {
        b'x' => (16, Str::from("0x")),
        b'X' => (16, Str::from("0X")),
        b'o' => (8, Str::from("0o")),
        b'b' => (2, Str::from("0b")),
        0 | b'd' | b'n' => (10, Str::from("")),
        _ => {
            return Err(new_exc(
                vm,
                T_VALUE_ERROR,
                Str::from("Unknown format code '")
                    .concat(Str::from_byte(kind))
                    .concat(Str::from("' for object of type 'int'")),
            ))
        }
    };
    let mut digits = bigint::to_str(mag, base);
    if kind == b'X' {
        digits = strs::to_upper(digits);
    }
    if spec.grouping != 0 {
        digits = group(digits, spec.grouping, if base == 10 { 3 } else { 4 });
    }
    let body = sign_prefix(spec, neg)
        .concat(if spec.alt { prefix } else { Str::from("") })
        .concat(digits);
    Ok(pad(spec, body, b'>', true))
}

fn format_float(vm: Gc<Vm>, f: f64, spec: Gc<Spec>) -> Result<Str, Value> {
    let _ = vm;
    let neg = f < 0.0 || (f == 0.0 && 1.0 / f < 0.0);
    let a = if neg { -f } else { f };
    let kind = spec.kind;
    let digits = if kind == 0 {
        if spec.prec < 0 {
            py_fmt_float(a, b'r', 0, false)
        } else {
            let s = py_fmt_float(
                a,
                b'g',
                if spec.prec == 0 { 1 } else { spec.prec },
                spec.alt,
            );
            // Like 'g' but an integral result keeps no trailing ".0" only when exponent form.
            s
        }
    } else if kind == b'f'
        || kind == b'F'
        || kind == b'e'
        || kind == b'E'
        || kind == b'g'
        || kind == b'G'
        || kind == b'%'
    {
        py_fmt_float(a, kind, if spec.prec < 0 { 6 } else { spec.prec }, spec.alt)
    } else {
        return Err(new_exc(
            vm,
            T_VALUE_ERROR,
            Str::from("Unknown format code '")
                .concat(Str::from_byte(kind))
                .concat(Str::from("' for object of type 'float'")),
        ));
    };
    let digits = if spec.grouping != 0 {
        group(digits, spec.grouping, 3)
    } else {
        digits
    };
    let body = sign_prefix(spec, neg && f == f).concat(digits);
    Ok(pad(spec, body, b'>', true))
}

/// `format(v, spec)`.
pub fn format(vm: Gc<Vm>, v: Value, spec_text: Str) -> Result<Str, Value> {
    if let Value::Obj(o) = v {
        let cls = o.cls.get();
        if is_user_class(cls) {
            let f = lookup_user(cls, Str::from("__format__"));
            if !f.is_null() {
                let r = call::call2(vm, f, v, strs::new_str(vm, spec_text))?;
                return match strs::as_str(r) {
                    Some(s) => Ok(s),
                    None => Err(new_exc(
                        vm,
                        T_TYPE_ERROR,
                        Str::from("__format__ must return a str"),
                    )),
                };
            }
        }
    }
    if spec_text.is_empty() {
        return ops::str_of(vm, v);
    }
    let spec = parse_spec(vm, spec_text)?;
    match v {
        Value::Int(_) | Value::Bool(_) => {
            if let Value::Bool(_) = v {
                if spec.kind == 0 {
                    return Ok(pad(spec, ops::str_of(vm, v)?, b'<', false));
                }
            }
            format_int(vm, v, spec)
        }
        Value::Float(f) => format_float(vm, f, spec),
        Value::Obj(o) => match o.kind {
            Kind::Long(_) => format_int(vm, v, spec),
            Kind::Str(s, n) => {
                if spec.kind != 0 && spec.kind != b's' {
                    return Err(new_exc(
                        vm,
                        T_VALUE_ERROR,
                        Str::from("Unknown format code '")
                            .concat(Str::from_byte(spec.kind))
                            .concat(Str::from("' for object of type 'str'")),
                    ));
                }
                let body = if spec.prec >= 0 && spec.prec < n {
                    strs::char_slice(s, n, 0, spec.prec)
                } else {
                    s
                };
                Ok(pad(spec, body, b'<', false))
            }
            _ => {
                // object.__format__ accepts only an empty spec.
                return Err(new_exc(
                    vm,
                    T_TYPE_ERROR,
                    Str::from("unsupported format string passed to ")
                        .concat(type_name(vm, v))
                        .concat(Str::from(".__format__")),
                ));
            }
        },
        Value::Nil => {
            return Err(new_exc(
                vm,
                T_TYPE_ERROR,
                Str::from("unsupported format string passed to NoneType.__format__"),
            ));
        }
        Value::Null => {
            let s = ops::str_of(vm, v)?;
            Ok(pad(spec, s, b'<', false))
        }
    }
}

/// `fmt % args` for str.
pub fn percent(vm: Gc<Vm>, fmt_v: Value, args: Value) -> Result<Value, Value> {
    let fmt = strs::as_str(fmt_v).unwrap_or(Str::from(""));
    let items: GcList<Value> = match ops::as_tuple(args) {
        Some(_) => ops::to_list(vm, args)?,
        None => {
            let l: GcList<Value> = GcList::new();
            l.push(args);
            l
        }
    };
    let mapping = if crate::dict::is_dict(args) {
        args
    } else {
        Value::Null
    };
    let out = StrBuilder::new();
    let mut ai: usize = 0;
    let n = fmt.len();
    let mut i: usize = 0;
    while i < n {
        let c = fmt.byte_at(i);
        if c != b'%' {
            out.push_byte(c);
            i += 1;
            continue;
        }
        i += 1;
        if i >= n {
            return value_error(vm, Str::from("incomplete format"));
        }
        // Mapping key.
        let mut keyed = Value::Null;
        if fmt.byte_at(i) == b'(' {
            let start = i + 1;
            while i < n && fmt.byte_at(i) != b')' {
                i += 1;
            }
            let key = strs::new_str(vm, fmt.slice(start, i));
            i += 1;
            if mapping.is_null() {
                return type_error(vm, Str::from("format requires a mapping"));
            }
            keyed = ops::getitem(vm, mapping, key)?;
        }
        let sb = StrBuilder::new();
        while i < n {
            let f = fmt.byte_at(i);
            if f == b'-' || f == b'+' || f == b' ' || f == b'#' || f == b'0' {
                sb.push_byte(f);
                i += 1;
            } else {
                break;
            }
        }
        let flags = sb.build();
        let mut width: i64 = -1;
        if i < n && fmt.byte_at(i) == b'*' {
            if ai >= items.len() {
                return type_error(vm, Str::from("not enough arguments for format string"));
            }
            width = ops::index_of(vm, items.get(ai))?;
            ai += 1;
            i += 1;
        }
        while i < n && strs::is_digit_byte(fmt.byte_at(i)) {
            width = if width < 0 { 0 } else { width } * 10 + (fmt.byte_at(i) - b'0') as i64;
            i += 1;
        }
        let mut prec: i64 = -1;
        if i < n && fmt.byte_at(i) == b'.' {
            i += 1;
            prec = 0;
            if i < n && fmt.byte_at(i) == b'*' {
                if ai >= items.len() {
                    return type_error(vm, Str::from("not enough arguments for format string"));
                }
                prec = ops::index_of(vm, items.get(ai))?;
                ai += 1;
                i += 1;
            }
            while i < n && strs::is_digit_byte(fmt.byte_at(i)) {
                prec = prec * 10 + (fmt.byte_at(i) - b'0') as i64;
                i += 1;
            }
        }
        if i >= n {
            return value_error(vm, Str::from("incomplete format"));
        }
        let conv = fmt.byte_at(i);
        i += 1;
        if conv == b'%' {
            out.push_byte(b'%');
            continue;
        }
        let arg = if !keyed.is_null() {
            keyed
        } else {
            if ai >= items.len() {
                return type_error(vm, Str::from("not enough arguments for format string"));
            }
            ai += 1;
            items.get(ai - 1)
        };
        let left = flags.find(Str::from("-"), 0).is_some();
        let zero = flags.find(Str::from("0"), 0).is_some() && !left;
        let plus = flags.find(Str::from("+"), 0).is_some();
        let space = flags.find(Str::from(" "), 0).is_some();
        let alt = flags.find(Str::from("#"), 0).is_some();
        let spec_b = StrBuilder::new();
        if left {
            spec_b.push_byte(b'<');
        } else if !zero {
            spec_b.push_byte(b'>');
        }
        if plus {
            spec_b.push_byte(b'+');
        } else if space {
            spec_b.push_byte(b' ');
        }
        if alt {
            spec_b.push_byte(b'#');
        }
        if zero {
            spec_b.push_byte(b'0');
        }
        if width >= 0 {
            spec_b.push_str(Str::from_i64(width));
        }
        let piece = match conv {
            b's' | b'r' | b'a' => {
                let s = if conv == b's' {
                    ops::str_of(vm, arg)?
                } else if conv == b'r' {
                    ops::repr(vm, arg)?
                } else {
                    strs::ascii(ops::repr(vm, arg)?)
                };
                let s = if prec >= 0 {
                    let k = strs::count_chars(s);
                    if prec < k {
                        strs::char_slice(s, k, 0, prec)
                    } else {
                        s
                    }
                } else {
                    s
                };
                format(vm, strs::new_str(vm, s), spec_b.build())?
            }
            b'd' | b'i' | b'u' | b'x' | b'X' | b'o' => {
                let arg = match arg {
                    Value::Bool(b) => Value::Int(b as i64),
                    _ => arg,
                };
                let iv = match ops::int_view(arg) {
                    ops::IntView::NotInt => match arg {
                        Value::Float(f) => {
                            if conv == b'd' || conv == b'i' || conv == b'u' {
                                ops::long_value(vm, bigint::from_f64(f))
                            } else {
                                return type_error(
                                    vm,
                                    Str::from("%")
                                        .concat(Str::from_byte(conv))
                                        .concat(Str::from(
                                            " format: an integer is required, not float",
                                        )),
                                );
                            }
                        }
                        _ => {
                            return type_error(
                                vm,
                                Str::from("%")
                                    .concat(Str::from_byte(conv))
                                    .concat(Str::from(" format: a real number is required, not "))
                                    .concat(type_name(vm, arg)),
                            )
                        }
                    },
                    _ => arg,
                };
                if conv == b'x' || conv == b'X' || conv == b'o' {
                    spec_b.push_byte(conv);
                }
                let mut s = format(vm, iv, spec_b.build())?;
                if prec > 0 {
                    let digits = strs::count_chars(s);
                    if digits < prec {
                        s = Str::from("0").repeat((prec - digits) as usize).concat(s);
                    }
                }
                s
            }
            b'f' | b'F' | b'e' | b'E' | b'g' | b'G' => {
                let f = match ops::float_view(vm, arg)? {
                    Some(f) => f,
                    None => {
                        return type_error(
                            vm,
                            Str::from("must be real number, not ").concat(type_name(vm, arg)),
                        )
                    }
                };
                spec_b.push_byte(b'.');
                spec_b.push_str(Str::from_i64(if prec < 0 { 6 } else { prec }));
                spec_b.push_byte(conv);
                format(vm, Value::Float(f), spec_b.build())?
            }
            b'c' => {
                let s = match ops::int_view(arg) {
                    ops::IntView::Small(c) => {
                        if c < 0 || c > 0x10FFFF {
                            return err(
                                vm,
                                T_OVERFLOW_ERROR,
                                Str::from("%c arg not in range(0x110000)"),
                            );
                        }
                        strs::encode_char(c)
                    }
                    _ => match strs::as_str(arg) {
                        Some(t) => {
                            if strs::count_chars(t) != 1 {
                                return type_error(vm, Str::from("%c requires int or char"));
                            }
                            t
                        }
                        None => return type_error(vm, Str::from("%c requires int or char")),
                    },
                };
                format(vm, strs::new_str(vm, s), spec_b.build())?
            }
            _ => {
                return value_error(
                    vm,
                    Str::from("unsupported format character '")
                        .concat(Str::from_byte(conv))
                        .concat(Str::from("' (0x"))
                        .concat(strs::hex_digits(conv as i64, 2))
                        .concat(Str::from(") at index "))
                        .concat(Str::from_i64(i as i64 - 1)),
                )
            }
        };
        out.push_str(piece);
    }
    if ai < items.len() && mapping.is_null() {
        return type_error(
            vm,
            Str::from("not all arguments converted during string formatting"),
        );
    }
    Ok(strs::new_str(vm, out.build()))
}
