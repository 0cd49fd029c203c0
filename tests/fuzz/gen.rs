//! Random well-typed DSL program generator for the differential fuzzer (`tests/tests/fuzz.rs`).
//!
//! `generate(seed)` returns the text of one single-file DSL program (a `#[vmkit::entry]` function
//! plus a fixed prelude of types and helpers and a few random functions). The same seed always
//! gives the same program. Every program:
//!
//! - compiles with rustc (it is run untranslated) and is inside the DSL subset;
//! - never overflows plain `+ - *` (operands are masked first; everything else uses
//!   `wrapping_*`/`checked_*`/`overflowing_*`), never divides by zero or `MIN / -1`, shifts by
//!   less than the bit width, indexes containers and slices strings in range;
//! - terminates quickly (loop bounds are small, loops never nest more than two deep, a function
//!   containing loops is never called from inside a loop, recursion depth is bounded);
//! - prints every value it computes (`label=value` lines) and, at the end of the entry, a
//!   checksum of everything the entry printed.
//!
//! The generator keeps a typed environment of variables in scope and produces expressions of a
//! requested type recursively; statements are generated with indentation into a buffer.

use std::fmt::Write as _;

/// splitmix64: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// The types generated programs compute with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum T {
    I64,
    U64,
    U8,
    Usize,
    F64,
    Bool,
    Str,
    /// `Pt`: a Copy struct `{ x: i64, y: u8 }`.
    Pt,
    /// `Seg`: a Copy struct nesting two `Pt`s and an f64.
    Seg,
    /// `Sh`: a Copy enum with payloads.
    Sh,
    /// `(i64, u8)`.
    Tup,
    /// `Option<i64>`.
    Opt,
    /// `Result<i64, Fail>`.
    Res,
    /// `Gc<Obj>`.
    Obj,
    /// `GcList<i64>`.
    List,
    /// `GcList<Sh>`.
    ListSh,
    /// `GcList<Str>`.
    ListStr,
    /// `GcList<Gc<Obj>>`.
    ListObj,
    /// `Option<Gc<Obj>>` (a nullable reference).
    OptObj,
    /// `Option<Pt>`.
    OptPt,
    /// `Option<Str>`.
    OptStr,
    /// `GcMap<Key, i64>` with a user key type whose `key_hash`/`key_eq` print.
    MapKI,
    /// `GcMap<i64, Gc<Obj>>`.
    MapIO,
    /// `GcArray<Option<Gc<Obj>>>`.
    ArrOpt,
    /// `GcList<(i64, u8)>`.
    ListTup,
    /// `GcList<f64>`.
    ListF,
    /// `GcList<u8>`.
    ListU8,
    /// `GcList<Option<i64>>`.
    ListOpt,
    /// `GcArray<bool>`.
    ArrB,
    /// `GcMap<Str, Sh>`.
    MapSSh,
    /// `GcMap<u8, Str>`.
    MapU8S,
    /// `Rec`: a Copy struct holding references (`Str`, `Gc<Obj>`) and an integer.
    Rec,
    /// `Tok`: a Copy enum with reference payloads.
    Tok,
    /// `GcList<Tok>`.
    ListTok,
    /// `()`: only as the return type of functions.
    Unit,
    /// `GcArray<u64>`.
    Arr,
    /// `GcArray<Pt>`.
    ArrPt,
    /// `GcMap<i64, i64>`.
    MapII,
    /// `GcMap<Str, i64>`.
    MapSI,
    /// `Gc<Tree>` (a GC enum).
    Tree,
}

use T::*;

const INTS: [T; 4] = [I64, U64, U8, Usize];
const SCALARS: [T; 7] = [I64, U64, U8, Usize, F64, Bool, Str];
const ALL: [T; 41] = [
    I64, U64, U8, Usize, F64, Bool, Str, Pt, Seg, Sh, Tup, Opt, Res, Obj, List, ListSh, ListStr, ListObj, Arr, ArrPt,
    MapII, MapSI, Tree, OptObj, OptPt, OptStr, MapKI, MapIO, ArrOpt, ListTup, ListF, ListU8, ListOpt, ArrB, MapSSh,
    MapU8S, Rec, Tok, Rec, Tok, ListTok,
];

impl T {
    /// Element type of a list or array type.
    fn elem(self) -> Option<T> {
        Some(match self {
            List => I64,
            ListSh => Sh,
            ListStr => Str,
            ListObj => Obj,
            ListTup => Tup,
            ListF => F64,
            ListU8 => U8,
            ListOpt => Opt,
            ListTok => Tok,
            Arr => U64,
            ArrPt => Pt,
            ArrOpt => OptObj,
            ArrB => Bool,
            _ => return None,
        })
    }
    fn is_list(self) -> bool {
        matches!(self, List | ListSh | ListStr | ListObj | ListTup | ListF | ListU8 | ListOpt | ListTok)
    }
    fn is_array(self) -> bool {
        matches!(self, Arr | ArrPt | ArrOpt | ArrB)
    }
    fn rust(self) -> &'static str {
        match self {
            I64 => "i64",
            U64 => "u64",
            U8 => "u8",
            Usize => "usize",
            F64 => "f64",
            Bool => "bool",
            Str => "Str",
            Pt => "Pt",
            Seg => "Seg",
            Sh => "Sh",
            Tup => "(i64, u8)",
            Opt => "Option<i64>",
            Res => "Result<i64, Fail>",
            Obj => "Gc<Obj>",
            List => "GcList<i64>",
            ListSh => "GcList<Sh>",
            ListStr => "GcList<Str>",
            ListObj => "GcList<Gc<Obj>>",
            OptObj => "Option<Gc<Obj>>",
            OptPt => "Option<Pt>",
            OptStr => "Option<Str>",
            MapKI => "GcMap<Key, i64>",
            MapIO => "GcMap<i64, Gc<Obj>>",
            ArrOpt => "GcArray<Option<Gc<Obj>>>",
            ListTup => "GcList<(i64, u8)>",
            ListF => "GcList<f64>",
            ListU8 => "GcList<u8>",
            ListOpt => "GcList<Option<i64>>",
            ArrB => "GcArray<bool>",
            MapSSh => "GcMap<Str, Sh>",
            MapU8S => "GcMap<u8, Str>",
            Rec => "Rec",
            Tok => "Tok",
            ListTok => "GcList<Tok>",
            Unit => "()",
            Arr => "GcArray<u64>",
            ArrPt => "GcArray<Pt>",
            MapII => "GcMap<i64, i64>",
            MapSI => "GcMap<Str, i64>",
            Tree => "Gc<Tree>",
        }
    }
    fn is_int(self) -> bool {
        matches!(self, I64 | U64 | U8 | Usize)
    }
    /// The prelude function that renders a value of this type as a `Str`.
    fn show(self, e: &str) -> String {
        match self {
            I64 => format!("Str::from_i64({e})"),
            U64 => format!("Str::from_u64({e})"),
            U8 => format!("Str::from_u64(({e}) as u64)"),
            Usize => format!("Str::from_u64(({e}) as u64)"),
            F64 => format!("Str::from_f64({e})"),
            Bool => format!("pb({e})"),
            Str => format!("quote({e})"),
            Pt => format!("show_pt({e})"),
            Seg => format!("show_seg({e})"),
            Sh => format!("show_sh({e})"),
            Tup => format!("show_tup({e})"),
            Opt => format!("show_opt({e})"),
            Res => format!("show_res({e})"),
            Obj => format!("show_obj({e})"),
            List => format!("show_list({e})"),
            ListSh => format!("show_listsh({e})"),
            ListStr => format!("show_liststr({e})"),
            ListObj => format!("show_listobj({e})"),
            OptObj => format!("show_optobj({e})"),
            OptPt => format!("show_optpt({e})"),
            OptStr => format!("show_optstr({e})"),
            MapKI => format!("show_mapki({e})"),
            MapIO => format!("show_mapio({e})"),
            ArrOpt => format!("show_arropt({e})"),
            Rec => format!("show_rec({e})"),
            Tok => format!("show_tok({e})"),
            ListTok => format!("show_listtok({e})"),
            ListTup => format!("show_listtup({e})"),
            ListF => format!("show_listf({e})"),
            ListU8 => format!("show_listu8({e})"),
            ListOpt => format!("show_listopt({e})"),
            ArrB => format!("show_arrb({e})"),
            MapSSh => format!("show_mapssh({e})"),
            MapU8S => format!("show_mapu8s({e})"),
            Unit => format!("{{ let _: () = {e}; Str::from(\"()\") }}"),
            Arr => format!("show_arr({e})"),
            ArrPt => format!("show_arrpt({e})"),
            MapII => format!("show_mapii({e})"),
            MapSI => format!("show_mapsi({e})"),
            Tree => format!("show_tree({e})"),
        }
    }
    /// Bit width of an integer type (usize is 64-bit on both Linux targets we run).
    fn bits(self) -> u32 {
        match self {
            U8 => 8,
            _ => 64,
        }
    }
}

#[derive(Clone)]
struct Var {
    name: String,
    ty: T,
    mutable: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Returns a value of the given type.
    Plain,
    /// Returns `Result<i64, Fail>`; the body may use `?` on results.
    Res,
    /// Returns `Option<i64>`; the body may use `?` on options.
    Opt,
    /// Recursive: first parameter is the depth `d: i64`.
    Rec,
    /// Returns nothing (`fn f(..) { .. }`), may `return;` early.
    Unit,
}

#[derive(Clone)]
struct FnSig {
    name: String,
    params: Vec<T>,
    ret: T,
    kind: Kind,
    /// Contains loops (directly or through callees): never called from inside a loop.
    loopy: bool,
    /// The inline module it is defined in (`mod m<i> { use super::*; pub fn f<i> .. }`).
    module: Option<String>,
    /// A `&self` method of this (Copy) type, called as `recv.f<i>(..)`.
    method_of: Option<T>,
}

struct Loop {
    label: Option<String>,
}

/// Known bugs the generator can steer around (so that a long run finds new ones), named in a
/// comma-separated list (`VMKIT_FUZZ_AVOID`, see `tests/tests/fuzz.rs`): `unwrap_or`,
/// `field_order`, `assoc_const_pattern`, `const_ops`, `const_cast`, `const_unsigned` (or
/// `const_eval` for all three), `fatal_assert`, `fatal_unwrap` (or `fatal_msg` for both),
/// `float_minmax_zero`, and `fatal` (no deliberate fatal errors at all). Steering around a bug changes only the construct concerned: the random
/// choices are the same, so the rest of the program stays as it was.
#[derive(Clone, Debug, Default)]
pub struct Avoid {
    /// `unwrap_or(default)` with a `default` that has effects (bug: evaluated lazily when translated).
    pub unwrap_or_effects: bool,
    /// Deliberate fatal errors at the end of programs.
    pub fatal: bool,
    /// Struct literals with fields in another order than declared (bug: evaluated in
    /// declaration order when translated).
    pub field_order: bool,
    /// `u64::MAX` alone as a pattern (rejected by the front end).
    pub assoc_const_pattern: bool,
    /// Constant expressions the front end rejects: `^`, comparisons, `f64::NAN`/`INFINITY`.
    pub const_ops: bool,
    /// Casts in constants whose operand is not an `i64` (evaluated as an `i64`).
    pub const_cast: bool,
    /// Unsigned constants at or above 2^63 and truncating `u8` shifts (computed as `i64`).
    pub const_unsigned: bool,
    /// `assert!` failing (its message differs).
    pub fatal_assert: bool,
    /// `Result::unwrap` on `Err` (its message differs).
    pub fatal_unwrap: bool,
    /// The sign of a zero result of `f64::min`/`max` (target-dependent).
    pub float_minmax_zero: bool,
}

impl Avoid {
    pub fn parse(v: &str) -> Avoid {
        let has = |n: &str| v.split(',').any(|x| x.trim() == n);
        Avoid {
            unwrap_or_effects: has("unwrap_or"),
            fatal: has("fatal"),
            field_order: has("field_order"),
            assoc_const_pattern: has("assoc_const_pattern"),
            const_ops: has("const_ops") || has("const_eval"),
            const_cast: has("const_cast") || has("const_eval"),
            const_unsigned: has("const_unsigned") || has("const_eval"),
            fatal_assert: has("fatal_assert") || has("fatal_msg"),
            fatal_unwrap: has("fatal_unwrap") || has("fatal_msg"),
            float_minmax_zero: has("float_minmax_zero"),
        }
    }
}

pub struct Gen {
    /// Module-level constants (name, type, value for integers).
    consts: Vec<Var>,
    const_vals: Vec<i128>,
    avoid: Avoid,
    rng: Rng,
    out: String,
    indent: usize,
    scopes: Vec<Vec<Var>>,
    next_id: usize,
    labels: usize,
    loops: Vec<Loop>,
    fns: Vec<FnSig>,
    /// The function being generated (its index in `fns` once pushed; callable functions are
    /// those before it).
    cur: Option<FnSig>,
    /// Whether the function being generated contains a loop so far.
    cur_loopy: bool,
    in_entry: bool,
    /// The inline module of the function being generated.
    cur_module: Option<String>,
}

const PRELUDE: &str = r#"use vmkit::io::print;
use vmkit::{Gc, GcArray, GcList, GcMap, MapKey, Mut, QuasiImmut, Str, StrBuilder};

#[derive(Clone, Copy)]
struct Pt {
    x: i64,
    y: u8,
}

#[derive(Clone, Copy)]
struct Seg {
    a: Pt,
    b: Pt,
    w: f64,
}

#[derive(Clone, Copy)]
enum Sh {
    Dot,
    Circle(i64),
    Rect(u8, u8),
    Tagged(Pt, bool),
}

#[derive(Clone, Copy, Debug)]
enum Fail {
    Neg(i64),
    Big,
    Odd(u8),
}

struct Obj {
    id: i64,
    gen: QuasiImmut<i64>,
    val: Mut<i64>,
    name: Mut<Str>,
    next: Mut<Option<Gc<Obj>>>,
}

enum Tree {
    Leaf(i64),
    Node(Gc<Tree>, Gc<Tree>),
}

impl Pt {
    fn norm1(&self) -> i64 {
        (self.x & 0xFFFF) + (self.y as i64)
    }
}

impl Obj {
    fn bump(&self, d: i64) -> i64 {
        self.val.set(self.val.get().wrapping_add(d));
        self.val.get()
    }
}

fn tick(tag: i64, v: i64) -> i64 {
    print(Str::from("["));
    print(Str::from_i64(tag));
    print(Str::from("]"));
    v
}

fn tick8(tag: i64, v: u8) -> u8 {
    print(Str::from("[b"));
    print(Str::from_i64(tag));
    print(Str::from("]"));
    v
}

fn tickf(tag: i64, v: f64) -> f64 {
    print(Str::from("[f"));
    print(Str::from_i64(tag));
    print(Str::from("]"));
    v
}

fn ticks(tag: i64, v: Str) -> Str {
    print(Str::from("[s"));
    print(Str::from_i64(tag));
    print(Str::from("]"));
    v
}

fn ticko(tag: i64, v: Gc<Obj>) -> Gc<Obj> {
    print(Str::from("[o"));
    print(Str::from_i64(tag));
    print(Str::from("]"));
    v
}

fn tickl(tag: i64, v: GcList<i64>) -> GcList<i64> {
    print(Str::from("[l"));
    print(Str::from_i64(tag));
    print(Str::from("]"));
    v
}

fn tickm(tag: i64, v: GcMap<i64, i64>) -> GcMap<i64, i64> {
    print(Str::from("[m"));
    print(Str::from_i64(tag));
    print(Str::from("]"));
    v
}

fn sum_list(l: GcList<i64>) -> i64 {
    let mut h: i64 = 0;
    for i in 0..l.len() {
        h = h.wrapping_mul(31).wrapping_add(l.get(i));
    }
    h
}

fn sum_mapii(m: GcMap<i64, i64>) -> i64 {
    let mut h: i64 = m.len() as i64;
    for i in 0..m.len() {
        h = h.wrapping_mul(31).wrapping_add(m.key_at(i));
        h = h.wrapping_mul(17).wrapping_add(m.value_at(i));
    }
    h
}

fn sum_mapsi(m: GcMap<Str, i64>) -> i64 {
    let mut h: i64 = m.len() as i64;
    for i in 0..m.len() {
        h = h.wrapping_mul(31).wrapping_add(m.key_at(i).hash() as i64);
        h = h.wrapping_mul(17).wrapping_add(m.value_at(i));
    }
    h
}

fn pr(label: Str, v: Str) {
    print(label);
    print(Str::from("="));
    print(v);
    print(Str::from("\n"));
}

fn mix(h: u64, v: u64) -> u64 {
    (h ^ v).wrapping_mul(1099511628211)
}

fn pb(b: bool) -> Str {
    if b {
        Str::from("true")
    } else {
        Str::from("false")
    }
}

fn quote(s: Str) -> Str {
    Str::from("\"").concat(s).concat(Str::from("\""))
}

fn side(tag: i64, b: bool) -> bool {
    print(Str::from("<"));
    print(Str::from_i64(tag));
    print(Str::from(">"));
    b
}

fn cap(s: Str) -> Str {
    if s.len() > 48 {
        s.slice(0, 48)
    } else {
        s
    }
}

fn sdiv(a: i64, b: i64) -> i64 {
    if b == 0 || (a == i64::MIN && b == -1) {
        a
    } else {
        a / b
    }
}

fn srem(a: i64, b: i64) -> i64 {
    if b == 0 || b == -1 {
        0
    } else {
        a % b
    }
}

fn chk(x: i64) -> Result<i64, Fail> {
    if x < -1000 {
        Err(Fail::Neg(x))
    } else if x > 1000000 {
        Err(Fail::Big)
    } else if x % 7 == 3 {
        Err(Fail::Odd((x & 255) as u8))
    } else {
        Ok(x.wrapping_mul(2))
    }
}

fn show_pt(p: Pt) -> Str {
    Str::from("Pt(").concat(Str::from_i64(p.x)).concat(Str::from(",")).concat(Str::from_u64(p.y as u64)).concat(Str::from(")"))
}

fn show_seg(s: Seg) -> Str {
    Str::from("Seg(").concat(show_pt(s.a)).concat(Str::from(",")).concat(show_pt(s.b)).concat(Str::from(",")).concat(Str::from_f64(s.w)).concat(Str::from(")"))
}

fn show_sh(s: Sh) -> Str {
    match s {
        Sh::Dot => Str::from("Dot"),
        Sh::Circle(r) => Str::from("Circle(").concat(Str::from_i64(r)).concat(Str::from(")")),
        Sh::Rect(w, h) => Str::from("Rect(").concat(Str::from_u64(w as u64)).concat(Str::from(",")).concat(Str::from_u64(h as u64)).concat(Str::from(")")),
        Sh::Tagged(p, b) => Str::from("Tagged(").concat(show_pt(p)).concat(Str::from(",")).concat(pb(b)).concat(Str::from(")")),
    }
}

fn sh_val(s: Sh) -> i64 {
    match s {
        Sh::Dot => 0,
        Sh::Circle(r) => r,
        Sh::Rect(w, h) => (w as i64) * (h as i64),
        Sh::Tagged(p, true) => p.x,
        Sh::Tagged(p, false) => p.y as i64,
    }
}

fn show_tup(t: (i64, u8)) -> Str {
    Str::from("(").concat(Str::from_i64(t.0)).concat(Str::from(",")).concat(Str::from_u64(t.1 as u64)).concat(Str::from(")"))
}

fn show_opt(o: Option<i64>) -> Str {
    match o {
        Some(v) => Str::from("Some(").concat(Str::from_i64(v)).concat(Str::from(")")),
        None => Str::from("None"),
    }
}

fn show_fail(f: Fail) -> Str {
    match f {
        Fail::Neg(n) => Str::from("Neg(").concat(Str::from_i64(n)).concat(Str::from(")")),
        Fail::Big => Str::from("Big"),
        Fail::Odd(b) => Str::from("Odd(").concat(Str::from_u64(b as u64)).concat(Str::from(")")),
    }
}

fn show_res(r: Result<i64, Fail>) -> Str {
    match r {
        Ok(v) => Str::from("Ok(").concat(Str::from_i64(v)).concat(Str::from(")")),
        Err(f) => Str::from("Err(").concat(show_fail(f)).concat(Str::from(")")),
    }
}

fn show_obj(o: Gc<Obj>) -> Str {
    let nx = match o.next.get() {
        Some(n) => Str::from_i64(n.id),
        None => Str::from("-"),
    };
    Str::from("Obj#").concat(Str::from_i64(o.id)).concat(Str::from("{")).concat(Str::from_i64(o.gen.get())).concat(Str::from("|")).concat(Str::from_i64(o.val.get())).concat(Str::from(",")).concat(quote(o.name.get())).concat(Str::from(",")).concat(nx).concat(Str::from("}"))
}

fn show_list(l: GcList<i64>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'[');
    let mut i: usize = 0;
    while i < l.len() {
        if i > 0 {
            b.push_byte(b',');
        }
        b.push_str(Str::from_i64(l.get(i)));
        i += 1;
    }
    b.push_byte(b']');
    b.build()
}

fn show_listsh(l: GcList<Sh>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'[');
    for i in 0..l.len() {
        if i > 0 {
            b.push_byte(b',');
        }
        b.push_str(show_sh(l.get(i)));
    }
    b.push_byte(b']');
    b.build()
}

fn show_liststr(l: GcList<Str>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'[');
    for i in 0..l.len() {
        if i > 0 {
            b.push_byte(b',');
        }
        b.push_str(quote(l.get(i)));
    }
    b.push_byte(b']');
    b.build()
}

fn show_arr(a: GcArray<u64>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'<');
    for i in 0..a.len() {
        if i > 0 {
            b.push_byte(b',');
        }
        b.push_str(Str::from_u64(a.get(i)));
    }
    b.push_byte(b'>');
    b.build()
}

fn show_arrpt(a: GcArray<Pt>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'<');
    for i in 0..a.len() {
        if i > 0 {
            b.push_byte(b',');
        }
        b.push_str(show_pt(a.get(i)));
    }
    b.push_byte(b'>');
    b.build()
}

fn show_mapii(m: GcMap<i64, i64>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'{');
    for i in 0..m.len() {
        if i > 0 {
            b.push_byte(b',');
        }
        b.push_str(Str::from_i64(m.key_at(i)));
        b.push_byte(b':');
        b.push_str(Str::from_i64(m.value_at(i)));
    }
    b.push_byte(b'}');
    b.build()
}

fn show_mapsi(m: GcMap<Str, i64>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'{');
    for i in 0..m.len() {
        if i > 0 {
            b.push_byte(b',');
        }
        b.push_str(quote(m.key_at(i)));
        b.push_byte(b':');
        b.push_str(Str::from_i64(m.value_at(i)));
    }
    b.push_byte(b'}');
    b.build()
}

fn show_tree(t: Gc<Tree>) -> Str {
    match *t {
        Tree::Leaf(v) => Str::from_i64(v),
        Tree::Node(l, r) => Str::from("(").concat(show_tree(l)).concat(Str::from(" ")).concat(show_tree(r)).concat(Str::from(")")),
    }
}

fn tree_sum(t: Gc<Tree>) -> i64 {
    match *t {
        Tree::Leaf(v) => v,
        Tree::Node(l, r) => tree_sum(l).wrapping_add(tree_sum(r)),
    }
}

fn tree_build(d: i64, seed: i64) -> Gc<Tree> {
    if d <= 0 || seed % 5 == 0 {
        Gc::new(Tree::Leaf(seed))
    } else {
        let l = tree_build(d - 1, seed.wrapping_mul(3).wrapping_add(1));
        let r = tree_build(d - 1, seed.wrapping_sub(7));
        Gc::new(Tree::Node(l, r))
    }
}

fn mk_list(n: i64, seed: i64) -> GcList<i64> {
    let l: GcList<i64> = GcList::new();
    let mut i: i64 = 0;
    while i < n {
        l.push(seed.wrapping_mul(i).wrapping_add(i * i));
        i += 1;
    }
    l
}

fn show_listobj(l: GcList<Gc<Obj>>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'[');
    for i in 0..l.len() {
        if i > 0 {
            b.push_byte(b',');
        }
        b.push_str(show_obj(l.get(i)));
    }
    b.push_byte(b']');
    b.build()
}

/// Links each object of `l` to the next one (the last to the first): a cycle of GC objects.
fn link_all(l: GcList<Gc<Obj>>) {
    let n = l.len();
    for i in 0..n {
        let nx = l.get((i + 1) % n);
        l.get(i).next.set(Some(nx));
    }
}

/// Sum of the values along `next` links, at most `k` steps; allocates on the way.
fn chain_sum(o: Gc<Obj>, k: i64) -> i64 {
    let mut cur: Option<Gc<Obj>> = Some(o);
    let mut acc: i64 = 0;
    let mut steps: i64 = 0;
    while let Some(c) = cur {
        if steps >= k {
            break;
        }
        let tmp = Str::from_i64(c.val.get()).concat(c.name.get());
        acc = acc.wrapping_mul(31).wrapping_add(c.val.get()).wrapping_add(tmp.len() as i64);
        cur = c.next.get();
        steps += 1;
    }
    acc
}

/// Deep recursion that allocates in every frame and keeps the objects alive until it returns.
fn deep(n: i64, acc: Gc<Obj>) -> i64 {
    if n <= 0 {
        return acc.val.get();
    }
    let mine = mk_obj(n, n.wrapping_mul(acc.val.get() & 0xFF), Str::from_i64(n));
    mine.next.set(Some(acc));
    let below = deep(n - 1, mine);
    below.wrapping_add(mine.val.get()).wrapping_add(mine.name.get().len() as i64)
}

#[derive(Clone, Copy)]
struct Key {
    a: i64,
    b: u8,
    /// A GC string, read (and new strings allocated) in `key_hash`/`key_eq`: a collection may run
    /// inside a map operation's callback.
    s: Str,
}

fn mk_key(a: i64, b: u8) -> Key {
    Key { a: a & 3, b: b & 1, s: Str::from_i64(a & 3).concat(Str::from("k")) }
}

impl MapKey for Key {
    /// Weak on purpose (keys collide), and visible: the output records every call.
            fn key_hash(&self) -> u64 {
        print(Str::from("%"));
        print(self.s.concat(Str::from_i64(self.a)));
        (self.a & 1) as u64
    }
    fn key_eq(&self, other: &Key) -> bool {
        print(Str::from("?"));
        print(Str::from_i64(self.a));
        print(Str::from_u64(self.b as u64));
        print(Str::from("="));
        print(Str::from_i64(other.a));
        print(Str::from_u64(other.b as u64));
        self.a == other.a && self.b == other.b
    }
}

fn show_optobj(o: Option<Gc<Obj>>) -> Str {
    match o {
        Some(x) => Str::from("Some(").concat(show_obj(x)).concat(Str::from(")")),
        None => Str::from("None"),
    }
}

fn show_optpt(o: Option<Pt>) -> Str {
    match o {
        Some(p) => Str::from("Some(").concat(show_pt(p)).concat(Str::from(")")),
        None => Str::from("None"),
    }
}

fn show_optstr(o: Option<Str>) -> Str {
    match o {
        Some(s) => Str::from("Some(").concat(quote(s)).concat(Str::from(")")),
        None => Str::from("None"),
    }
}

fn show_mapki(m: GcMap<Key, i64>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'{');
    for i in 0..m.len() {
        let k = m.key_at(i);
                b.push_str(k.s);
        b.push_str(Str::from_i64(k.a));
        b.push_byte(b'/');
        b.push_str(Str::from_u64(k.b as u64));
        b.push_byte(b':');
        b.push_str(Str::from_i64(m.value_at(i)));
        b.push_byte(b' ');
    }
    b.push_byte(b'}');
    b.build()
}

fn show_mapio(m: GcMap<i64, Gc<Obj>>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'{');
    for i in 0..m.len() {
        b.push_str(Str::from_i64(m.key_at(i)));
        b.push_byte(b':');
        b.push_str(show_obj(m.value_at(i)));
        b.push_byte(b' ');
    }
    b.push_byte(b'}');
    b.build()
}

fn show_arropt(a: GcArray<Option<Gc<Obj>>>) -> Str {
    let b = StrBuilder::new();
    b.push_byte(b'<');
    for i in 0..a.len() {
        b.push_str(show_optobj(a.get(i)));
        b.push_byte(b' ');
    }
    b.push_byte(b'>');
    b.build()
}

#[derive(Clone, Copy)]
struct Rec {
    name: Str,
    obj: Gc<Obj>,
    n: i64,
}

#[derive(Clone, Copy)]
enum Tok {
    Word(Str),
    Num(i64),
    Ref(Gc<Obj>),
    Pair(Str, Rec),
}

fn show_rec(r: Rec) -> Str {
    Str::from("Rec(").concat(quote(r.name)).concat(Str::from(",")).concat(show_obj(r.obj)).concat(Str::from(",")).concat(Str::from_i64(r.n)).concat(Str::from(")"))
}

fn show_tok(t: Tok) -> Str {
    match t {
        Tok::Word(w) => Str::from("Word(").concat(quote(w)).concat(Str::from(")")),
        Tok::Num(n) => Str::from("Num(").concat(Str::from_i64(n)).concat(Str::from(")")),
        Tok::Ref(o) => Str::from("Ref(").concat(show_obj(o)).concat(Str::from(")")),
        Tok::Pair(a, r) => Str::from("Pair(").concat(quote(a)).concat(Str::from(",")).concat(show_rec(r)).concat(Str::from(")")),
    }
}

fn show_listtok(l: GcList<Tok>) -> Str {
    let b = StrBuilder::new();
    for i in 0..l.len() {
        b.push_str(show_tok(l.get(i)));
        b.push_byte(b';');
    }
    b.build()
}

/// Allocates (so a collection may run) while `t`'s references are only held by the caller.
fn tok_text(t: Tok) -> Str {
    let tmp = Str::from("<").concat(Str::from(">"));
    match t {
        Tok::Word(w) => w.concat(tmp),
        Tok::Num(n) => Str::from_i64(n).concat(tmp),
        Tok::Ref(o) => o.name.get().concat(Str::from_i64(o.val.get())),
        Tok::Pair(a, r) => a.concat(r.name).concat(tmp),
    }
}

fn tok_val(t: Tok) -> i64 {
    let s = tok_text(t);
    let junk = mk_obj(0, 0, s.concat(s));
    match t {
        Tok::Word(w) => (w.len() as i64).wrapping_add(junk.name.get().len() as i64),
        Tok::Num(n) => n,
        Tok::Ref(o) => o.val.get().wrapping_add(o.id),
        Tok::Pair(a, r) => (a.len() as i64).wrapping_add(r.n).wrapping_add(r.obj.id),
    }
}

fn rec_val(r: Rec) -> i64 {
    let extra = Str::from_i64(r.n).concat(r.name);
    let again = Rec { name: extra, obj: mk_obj(r.obj.id, r.n, extra), n: r.n };
    (again.name.len() as i64).wrapping_add(r.obj.val.get()).wrapping_add(again.obj.name.get().len() as i64)
}

fn show_listtup(l: GcList<(i64, u8)>) -> Str {
    let b = StrBuilder::new();
    for i in 0..l.len() {
        b.push_str(show_tup(l.get(i)));
    }
    b.build()
}

fn show_listf(l: GcList<f64>) -> Str {
    let b = StrBuilder::new();
    for i in 0..l.len() {
        b.push_str(Str::from_f64(l.get(i)));
        b.push_byte(b';');
    }
    b.build()
}

fn show_listu8(l: GcList<u8>) -> Str {
    let b = StrBuilder::new();
    for i in 0..l.len() {
        b.push_str(Str::from_u64(l.get(i) as u64));
        b.push_byte(b';');
    }
    b.build()
}

fn show_listopt(l: GcList<Option<i64>>) -> Str {
    let b = StrBuilder::new();
    for i in 0..l.len() {
        b.push_str(show_opt(l.get(i)));
        b.push_byte(b';');
    }
    b.build()
}

fn show_arrb(a: GcArray<bool>) -> Str {
    let b = StrBuilder::new();
    for i in 0..a.len() {
        b.push_byte(if a.get(i) { b'T' } else { b'F' });
    }
    b.build()
}

fn show_mapssh(m: GcMap<Str, Sh>) -> Str {
    let b = StrBuilder::new();
    for i in 0..m.len() {
        b.push_str(quote(m.key_at(i)));
        b.push_byte(b':');
        b.push_str(show_sh(m.value_at(i)));
        b.push_byte(b' ');
    }
    b.build()
}

fn show_mapu8s(m: GcMap<u8, Str>) -> Str {
    let b = StrBuilder::new();
    for i in 0..m.len() {
        b.push_str(Str::from_u64(m.key_at(i) as u64));
        b.push_byte(b':');
        b.push_str(quote(m.value_at(i)));
        b.push_byte(b' ');
    }
    b.build()
}

fn mk_obj(id: i64, v: i64, name: Str) -> Gc<Obj> {
    Gc::new(Obj { id: id, gen: QuasiImmut::new(id & 7), val: Mut::new(v), name: Mut::new(name), next: Mut::new(None) })
}
"#;

const STR_LITS: [&str; 24] = [
    "",
    "a",
    "ab",
    "abc",
    "hello",
    "x-y-z",
    "0123456789",
    "caf\u{e9}",
    "  ",
    "-42",
    "",
    "a",
    "abc",
    "hello",
    // Edge cases of parse_i64/parse_f64:
    "+7",
    "9223372036854775808",
    "-9223372036854775808",
    "inf",
    "NaN",
    "1e5",
    ".5",
    "-0",
    "1_0",
    "0x10",
];

impl Gen {
    pub fn new(seed: u64, avoid: &Avoid) -> Gen {
        Gen {
            consts: Vec::new(),
            const_vals: Vec::new(),
            avoid: avoid.clone(),
            rng: Rng::new(seed),
            out: String::new(),
            indent: 0,
            scopes: Vec::new(),
            next_id: 0,
            labels: 0,
            loops: Vec::new(),
            fns: Vec::new(),
            cur: None,
            cur_loopy: false,
            in_entry: false,
            cur_module: None,
        }
    }

    /// Shuffles struct literal fields (unless avoided; the RNG is used the same way either way,
    /// so that avoiding a bug keeps the rest of the program).
    fn shuffle(&mut self, xs: &mut Vec<String>) {
        let mut order: Vec<usize> = (0..xs.len()).collect();
        for i in (1..order.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            order.swap(i, j);
        }
        if !self.avoid.field_order {
            *xs = order.iter().map(|&i| xs[i].clone()).collect();
        }
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn declare(&mut self, name: &str, ty: T, mutable: bool) {
        self.scopes.last_mut().expect("scope").push(Var { name: name.to_string(), ty, mutable });
    }

    /// Variables in scope; a later declaration of a name hides the earlier ones.
    fn visible(&self) -> Vec<Var> {
        let all: Vec<&Var> = self.consts.iter().chain(self.scopes.iter().flatten()).collect();
        all.iter()
            .enumerate()
            .filter(|(i, v)| !all[i + 1..].iter().any(|w| w.name == v.name))
            .map(|(_, v)| (*v).clone())
            .collect()
    }

    fn vars_of(&self, ty: T) -> Vec<Var> {
        self.visible().into_iter().filter(|v| v.ty == ty).collect()
    }

    fn var_of(&mut self, ty: T) -> Option<String> {
        let vs = self.vars_of(ty);
        if vs.is_empty() {
            None
        } else {
            Some(self.rng.pick(&vs).name.clone())
        }
    }

    fn in_loop(&self) -> bool {
        !self.loops.is_empty()
    }

    /// Functions callable from here (earlier ones; loopy ones only outside loops).
    fn callable(&self, ret: T) -> Vec<FnSig> {
        let in_loop = self.in_loop();
        self.fns.iter().filter(|f| f.ret == ret && !(in_loop && f.loopy)).cloned().collect()
    }

    // -----------------------------------------------------------------------------------------
    // Literals
    // -----------------------------------------------------------------------------------------

    fn lit(&mut self, ty: T) -> String {
        match ty {
            I64 => {
                let v: i64 = match self.rng.below(10) {
                    0 => *self.rng.pick(&[0, 1, -1, 2, 7, -128, 255, 256, 1 << 32, -(1 << 40)]),
                    1 => {
                        return self.rng.pick(&["i64::MAX", "i64::MIN", "(i64::MIN + 1)", "(i64::MAX - 1)"]).to_string()
                    }
                    2 => self.rng.next() as i64,
                    _ => self.rng.range(-20, 100),
                };
                if v < 0 {
                    format!("({v}i64)")
                } else {
                    format!("{v}i64")
                }
            }
            U64 => match self.rng.below(8) {
                0 => self.rng.pick(&["u64::MAX", "(u64::MAX - 1)", "(1u64 << 63)"]).to_string(),
                1 => format!("{}u64", self.rng.next()),
                _ => format!("{}u64", self.rng.range(0, 300)),
            },
            U8 => match self.rng.below(6) {
                0 => self.rng.pick(&["255u8", "0u8", "128u8", "127u8", "u8::MAX"]).to_string(),
                1 => format!("b'{}'", *self.rng.pick(&['a', 'z', '0', 'A', '-'])),
                _ => format!("{}u8", self.rng.range(0, 255)),
            },
            Usize => format!("{}usize", self.rng.range(0, 12)),
            F64 => match self.rng.below(8) {
                0 => self
                    .rng
                    .pick(&[
                        "f64::NAN",
                        "f64::INFINITY",
                        "(-f64::INFINITY)",
                        "(-0.0f64)",
                        "1e300f64",
                        "1e-300f64",
                        "9007199254740993.0f64",
                        "(-9.3e18f64)",
                        "1.8e19f64",
                        "255.5f64",
                    ])
                    .to_string(),
                1 => {
                    let v = self.rng.range(-1000, 1000) as f64 / 8.0;
                    if v < 0.0 {
                        format!("({v:?}f64)")
                    } else {
                        format!("{v:?}f64")
                    }
                }
                _ => {
                    let v = *self.rng.pick(&[0.0, 1.0, 0.5, 2.5, 0.1, 3.75, 100.0, 1e10, 1e-7, 123.456, 0.3]);
                    format!("{v:?}f64")
                }
            },
            Bool => if self.rng.chance(1, 2) { "true" } else { "false" }.to_string(),
            Str => format!("Str::from({:?})", *self.rng.pick(&STR_LITS)),
            _ => unreachable!("no literal of {ty:?}"),
        }
    }

    /// A pattern literal for an integer type (no suffix, values in range).
    fn pat_lit(&mut self, ty: T) -> i64 {
        match ty {
            I64 => self.rng.range(-5, 20),
            _ => self.rng.range(0, 20),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Expressions
    // -----------------------------------------------------------------------------------------

    /// An expression of type `ty`; `d` bounds the nesting.
    fn expr(&mut self, ty: T, d: u32) -> String {
        // Sometimes make the evaluation visible: `tick(tag, e)` prints `[tag]` and returns `e`,
        // so the output records the order in which operands, arguments and fields are evaluated.
        if self.rng.chance(1, 14) {
            let tag = self.rng.range(0, 99);
            let f = match ty {
                I64 => Some("tick"),
                U8 => Some("tick8"),
                F64 => Some("tickf"),
                Str => Some("ticks"),
                Obj => Some("ticko"),
                List => Some("tickl"),
                MapII => Some("tickm"),
                _ => None,
            };
            if let Some(f) = f {
                let e = self.expr_inner(ty, d);
                return format!("{f}({tag}, {e})");
            }
        }
        self.expr_inner(ty, d)
    }

    fn expr_inner(&mut self, ty: T, d: u32) -> String {
        if d == 0 || self.rng.chance(1, 4) {
            return self.leaf(ty);
        }
        // Calls of user functions, sometimes.
        if self.rng.chance(1, 8) {
            if let Some(c) = self.call(ty, d) {
                return c;
            }
        }
        match ty {
            I64 | U64 | U8 | Usize => self.int_expr(ty, d),
            F64 => self.float_expr(d),
            Bool => self.bool_expr(d),
            Str => self.str_expr(d),
            _ => self.compound_expr(ty, d),
        }
    }

    /// The `default` argument of `unwrap_or`.
    fn default_arg(&mut self, ty: T, d: u32) -> String {
        if self.avoid.unwrap_or_effects {
            match self.var_of(ty) {
                Some(v) if self.rng.chance(1, 2) => v,
                _ => self.lit(ty),
            }
        } else {
            self.expr(ty, d)
        }
    }

    fn leaf(&mut self, ty: T) -> String {
        if self.rng.chance(3, 4) {
            if let Some(v) = self.var_of(ty) {
                return v;
            }
        }
        match ty {
            I64 | U64 | U8 | Usize | F64 | Bool | Str => self.lit(ty),
            _ => self.construct(ty, 1),
        }
    }

    /// A fresh value of a compound type.
    fn construct(&mut self, ty: T, d: u32) -> String {
        let d = d.saturating_sub(1);
        match ty {
            // Fields in random order: Rust evaluates them in the order written.
            Pt => {
                let mut fs = vec![format!("x: {}", self.expr(I64, d)), format!("y: {}", self.expr(U8, d))];
                self.shuffle(&mut fs);
                format!("Pt {{ {} }}", fs.join(", "))
            }
            Seg => {
                let mut fs = vec![
                    format!("a: {}", self.expr(Pt, d)),
                    format!("b: {}", self.expr(Pt, d)),
                    format!("w: {}", self.expr(F64, d)),
                ];
                self.shuffle(&mut fs);
                format!("Seg {{ {} }}", fs.join(", "))
            }
            Sh => match self.rng.below(4) {
                0 => "Sh::Dot".to_string(),
                1 => format!("Sh::Circle({})", self.expr(I64, d)),
                2 => format!("Sh::Rect({}, {})", self.expr(U8, d), self.expr(U8, d)),
                _ => format!("Sh::Tagged({}, {})", self.expr(Pt, d), self.expr(Bool, d)),
            },
            Tup => format!("({}, {})", self.expr(I64, d), self.expr(U8, d)),
            // `None`, `Ok(..)` and `Err(..)` get a typed `let` (rustc cannot infer the other type
            // parameter in, e.g., `Ok(x).is_ok()`).
            Opt => match self.rng.below(3) {
                0 => {
                    let n = self.fresh("o");
                    format!("{{ let {n}: Option<i64> = None; {n} }}")
                }
                _ => format!("Some({})", self.expr(I64, d)),
            },
            Res => {
                let r = match self.rng.below(5) {
                    0 => format!("Ok({})", self.expr(I64, d)),
                    1 => "Err(Fail::Big)".to_string(),
                    2 => format!("Err(Fail::Neg({}))", self.expr(I64, d)),
                    3 => format!("Err(Fail::Odd({}))", self.expr(U8, d)),
                    _ => return format!("chk({})", self.expr(I64, d)),
                };
                let n = self.fresh("r");
                format!("{{ let {n}: Result<i64, Fail> = {r}; {n} }}")
            }
            Obj => {
                let id = self.rng.range(1, 99);
                if self.rng.chance(1, 3) {
                    let nx =
                        if self.rng.chance(1, 2) { "None".to_string() } else { format!("Some({})", self.expr(Obj, d)) };
                    let mut fs = vec![
                        format!("id: {id}"),
                        format!("val: Mut::new({})", self.expr(I64, d)),
                        format!("name: Mut::new({})", self.expr(Str, d)),
                        format!("next: Mut::new({nx})"),
                        format!("gen: QuasiImmut::new({})", self.expr(I64, d)),
                    ];
                    self.shuffle(&mut fs);
                    format!("Gc::new(Obj {{ {} }})", fs.join(", "))
                } else {
                    format!("mk_obj({id}, {}, {})", self.expr(I64, d), self.expr(Str, d))
                }
            }
            List => format!("mk_list({}, {})", self.rng.range(0, 6), self.expr(I64, d)),
            ListSh => {
                let n = self.fresh("ls");
                let mut s = format!("{{ let {n}: GcList<Sh> = GcList::new();");
                for _ in 0..self.rng.range(0, 3) {
                    let e = self.construct(Sh, d);
                    write!(s, " {n}.push({e});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            ListStr => {
                let n = self.fresh("lt");
                let mut s = format!("{{ let {n}: GcList<Str> = GcList::with_capacity({}); ", self.rng.range(0, 4));
                for _ in 0..self.rng.range(0, 3) {
                    let e = self.expr(Str, d);
                    write!(s, " {n}.push({e});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            ListObj => {
                let n = self.fresh("lo");
                let mut s = format!("{{ let {n}: GcList<Gc<Obj>> = GcList::new();");
                for _ in 0..self.rng.range(0, 4) {
                    let e = self.expr(Obj, d);
                    write!(s, " {n}.push({e});").unwrap();
                }
                if self.rng.chance(1, 2) {
                    write!(s, " link_all({n});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            OptObj | OptPt | OptStr => {
                let inner = match ty {
                    OptObj => Obj,
                    OptPt => Pt,
                    _ => Str,
                };
                if self.rng.chance(1, 3) {
                    let n = self.fresh("o");
                    format!("{{ let {n}: {} = None; {n} }}", ty.rust())
                } else {
                    format!("Some({})", self.expr(inner, d))
                }
            }
            MapKI => {
                let n = self.fresh("mk");
                let mut s = format!("{{ let {n}: GcMap<Key, i64> = GcMap::new();");
                for _ in 0..self.rng.range(0, 4) {
                    let k = self.key();
                    let v = self.expr(I64, d);
                    write!(s, " {n}.insert({k}, {v});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            MapIO => {
                let n = self.fresh("mo");
                let mut s = format!("{{ let {n}: GcMap<i64, Gc<Obj>> = GcMap::new();");
                for _ in 0..self.rng.range(0, 3) {
                    let k = self.rng.range(0, 5);
                    let v = self.expr(Obj, d);
                    write!(s, " {n}.insert({k}i64, {v});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            ArrOpt => format!("GcArray::new({}usize, {})", self.rng.range(1, 4), self.expr(OptObj, d)),
            ArrB => format!("GcArray::new({}usize, {})", self.rng.range(0, 4), self.expr(Bool, d)),
            Rec => {
                let mut fs = vec![
                    format!("name: {}", self.expr(Str, d)),
                    format!("obj: {}", self.expr(Obj, d)),
                    format!("n: {}", self.expr(I64, d)),
                ];
                self.shuffle(&mut fs);
                format!("Rec {{ {} }}", fs.join(", "))
            }
            Tok => match self.rng.below(4) {
                0 => format!("Tok::Word({})", self.expr(Str, d)),
                1 => format!("Tok::Num({})", self.expr(I64, d)),
                2 => format!("Tok::Ref({})", self.expr(Obj, d)),
                _ => format!("Tok::Pair({}, {})", self.expr(Str, d), self.expr(Rec, d)),
            },
            ListTup | ListF | ListU8 | ListOpt | ListTok => {
                let et = ty.elem().unwrap();
                let n = self.fresh("lg");
                let mut s = format!("{{ let {n}: {} = GcList::new();", ty.rust());
                for _ in 0..self.rng.range(0, 4) {
                    let e = self.expr(et, d);
                    write!(s, " {n}.push({e});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            MapSSh => {
                let n = self.fresh("mh");
                let mut s = format!("{{ let {n}: GcMap<Str, Sh> = GcMap::new();");
                for _ in 0..self.rng.range(0, 3) {
                    let k = self.expr(Str, d);
                    let v = self.expr(Sh, d);
                    write!(s, " {n}.insert({k}, {v});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            MapU8S => {
                let n = self.fresh("mu");
                let mut s = format!("{{ let {n}: GcMap<u8, Str> = GcMap::new();");
                for _ in 0..self.rng.range(0, 3) {
                    let k = self.expr(U8, d);
                    let v = self.expr(Str, d);
                    write!(s, " {n}.insert({k}, {v});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            Arr => format!("GcArray::new({}usize, {})", self.rng.range(0, 5), self.expr(U64, d)),
            ArrPt => format!("GcArray::new({}usize, {})", self.rng.range(1, 4), self.expr(Pt, d)),
            MapII => {
                let n = self.fresh("mi");
                let mut s = format!("{{ let {n}: GcMap<i64, i64> = GcMap::new();");
                for _ in 0..self.rng.range(0, 4) {
                    let k = self.rng.range(-3, 8);
                    let v = self.expr(I64, d);
                    write!(s, " {n}.insert({k}i64, {v});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            MapSI => {
                let n = self.fresh("ms");
                let mut s = format!("{{ let {n}: GcMap<Str, i64> = GcMap::new();");
                for _ in 0..self.rng.range(0, 3) {
                    let k = self.expr(Str, d);
                    let v = self.expr(I64, d);
                    write!(s, " {n}.insert({k}, {v});").unwrap();
                }
                write!(s, " {n} }}").unwrap();
                s
            }
            Tree => format!("tree_build({}, {})", self.rng.range(0, 3), self.expr(I64, d)),
            _ => self.lit(ty),
        }
    }

    /// A `Key` value (small fields, so that keys collide and repeat).
    fn key(&mut self) -> String {
        if self.rng.chance(1, 2) {
            let a = self.rng.range(0, 4);
            format!(
                "Key {{ a: {a}i64, b: {}u8, s: Str::from_i64({a}).concat(Str::from(\"k\")) }}",
                self.rng.range(0, 2)
            )
        } else {
            let a = self.expr(I64, 1);
            let b = self.expr(U8, 1);
            format!("mk_key({a}, {b})")
        }
    }

    fn call(&mut self, ty: T, d: u32) -> Option<String> {
        let fs = self.callable(ty);
        if fs.is_empty() {
            return None;
        }
        let f = self.rng.pick(&fs).clone();
        Some(self.call_of(&f, d))
    }

    fn call_of(&mut self, f: &FnSig, d: u32) -> String {
        if let Some(owner) = f.method_of {
            let recv = self.expr(owner, d.saturating_sub(1).min(2));
            let g = FnSig { method_of: None, module: None, ..f.clone() };
            let plain = self.call_of(&g, d);
            return format!("({recv}).{plain}");
        }
        let mut args = Vec::new();
        for (i, &p) in f.params.iter().enumerate() {
            if f.kind == Kind::Rec && i == 0 {
                args.push(format!("{}i64", self.rng.range(-1, 5)));
            } else {
                args.push(self.expr(p, d.saturating_sub(1).min(2)));
            }
        }
        let path = match (&f.module, &self.cur_module) {
            (Some(m), Some(_)) => format!("super::{m}::{}", f.name),
            (Some(m), None) => format!("{m}::{}", f.name),
            (None, _) => f.name.clone(),
        };
        format!("{path}({})", args.join(", "))
    }

    /// A `usize` index expression guaranteed `< n` where `n` is a non-zero `usize` expression
    /// (a name or a call without side effects).
    fn index_below(&mut self, n: &str, d: u32) -> String {
        let t = *self.rng.pick(&INTS);
        let e = self.expr(t, d.min(1));
        format!("((({e}) as usize) % {n})")
    }

    fn int_expr(&mut self, ty: T, d: u32) -> String {
        let t = ty.rust();
        let d1 = d - 1;
        let bits = ty.bits();
        let mask_small = if ty == U8 { "15" } else { "0xFFFF" };
        match self.rng.below(30) {
            0 => format!("({}).wrapping_add({})", self.expr(ty, d1), self.expr(ty, d1)),
            1 => format!("({}).wrapping_sub({})", self.expr(ty, d1), self.expr(ty, d1)),
            2 => format!("({}).wrapping_mul({})", self.expr(ty, d1), self.expr(ty, d1)),
            3 => {
                let op = *self.rng.pick(&["&", "|", "^"]);
                format!("({} {op} {})", self.expr(ty, d1), self.expr(ty, d1))
            }
            4 => format!("(!{})", self.expr(ty, d1)),
            5 => {
                let op = *self.rng.pick(&["<<", ">>"]);
                if self.rng.chance(1, 2) {
                    format!("({} {op} {})", self.expr(ty, d1), self.rng.below(bits as u64))
                } else {
                    format!("({} {op} ({} & {}))", self.expr(ty, d1), self.expr(ty, d1), bits - 1)
                }
            }
            6 => {
                // Plain arithmetic on masked operands: never overflows.
                match self.rng.below(3) {
                    0 => format!("(({} & {mask_small}) + ({} & {mask_small}))", self.expr(ty, d1), self.expr(ty, d1)),
                    1 => format!("(({} & {mask_small}) * ({} & {mask_small}))", self.expr(ty, d1), self.expr(ty, d1)),
                    _ => {
                        if ty == I64 {
                            format!("(({} & 0xFFFF) - ({} & 0xFFFF))", self.expr(ty, d1), self.expr(ty, d1))
                        } else if ty == U8 {
                            format!("(({} | 128) - ({} & 127))", self.expr(ty, d1), self.expr(ty, d1))
                        } else {
                            format!("(({} | 0x10000) - ({} & 0xFFFF))", self.expr(ty, d1), self.expr(ty, d1))
                        }
                    }
                }
            }
            7 => {
                // Division and remainder, guarded.
                let op = *self.rng.pick(&["/", "%"]);
                if ty == I64 {
                    if self.rng.chance(1, 2) {
                        let f = if op == "/" { "sdiv" } else { "srem" };
                        format!("{f}({}, {})", self.expr(ty, d1), self.expr(ty, d1))
                    } else {
                        let n = self.fresh("n");
                        let m = self.fresh("m");
                        format!(
                            "{{ let {n}: i64 = {}; let {m}: i64 = {}; if {m} == 0 || {m} == -1 {{ {n} }} else {{ {n} {op} {m} }} }}",
                            self.expr(ty, d1),
                            self.expr(ty, d1)
                        )
                    }
                } else if self.rng.chance(1, 2) {
                    let c = self.rng.range(1, 300).min(if ty == U8 { 255 } else { 300 });
                    format!("({} {op} {c}{t})", self.expr(ty, d1))
                } else {
                    format!("({} {op} (({}) | 1))", self.expr(ty, d1), self.expr(ty, d1))
                }
            }
            8 => {
                let m = *self.rng.pick(&["checked_add", "checked_sub", "checked_mul"]);
                format!("({}).{m}({}).unwrap_or({})", self.expr(ty, d1), self.expr(ty, d1), self.default_arg(ty, d1))
            }
            9 => {
                let m = *self.rng.pick(&["overflowing_add", "overflowing_sub", "overflowing_mul"]);
                format!("({}).{m}({}).0", self.expr(ty, d1), self.expr(ty, d1))
            }
            10 => {
                let m = *self.rng.pick(&["min", "max"]);
                format!("({}).{m}({})", self.expr(ty, d1), self.expr(ty, d1))
            }
            11 => {
                if ty == I64 {
                    if self.rng.chance(1, 2) {
                        format!("({}).max(i64::MIN + 1).abs()", self.expr(ty, d1))
                    } else {
                        format!("(-({} & 0xFFFFFF))", self.expr(ty, d1))
                    }
                } else {
                    self.cast_to(ty, d1)
                }
            }
            12..=14 => self.cast_to(ty, d1),
            15 => format!("(if {} {{ {} }} else {{ {} }})", self.expr(Bool, d1), self.expr(ty, d1), self.expr(ty, d1)),
            16 if self.rng.chance(1, 2) => self.dispatch_match(ty, d1),
            16 => self.match_int_expr(ty, d1),
            17 => self.from_compound(ty, d1),
            18 => self.from_container(ty, d1),
            19 => self.from_str(ty, d1),
            20 => self.loop_expr(ty, d1),
            21 => {
                // ? in Res/Opt functions.
                match self.cur.as_ref().map(|c| c.kind) {
                    Some(Kind::Res) if ty == I64 => format!("({}?)", self.expr(Res, d1)),
                    Some(Kind::Opt) if ty == I64 => format!("({}?)", self.expr(Opt, d1)),
                    _ => self.cast_to(ty, d1),
                }
            }
            22 => {
                // Compound assignment inside a block.
                let n = self.fresh("c");
                let op = *self.rng.pick(&["&=", "|=", "^=", ">>=", "<<="]);
                let rhs = if op.starts_with('<') || op.starts_with('>') {
                    format!("{}", self.rng.below(bits as u64))
                } else {
                    self.expr(ty, d1)
                };
                format!("{{ let mut {n}: {t} = {}; {n} {op} {rhs}; {n} }}", self.expr(ty, d1))
            }
            23 => {
                if ty == U8 {
                    format!("({} as u8)", self.expr(Bool, d1))
                } else {
                    format!("(({}) as {t})", self.expr(Bool, d1))
                }
            }
            _ => self.leaf(ty),
        }
    }

    fn cast_to(&mut self, ty: T, d: u32) -> String {
        let from = *self.rng.pick(&[I64, U64, U8, Usize, F64, F64]);
        let e = self.expr(from, d);
        format!("(({e}) as {})", ty.rust())
    }

    fn match_int_expr(&mut self, ty: T, d: u32) -> String {
        let st = *self.rng.pick(&INTS);
        let scrut = self.expr(st, d);
        let mut arms = Vec::new();
        for _ in 0..self.rng.range(1, 4) {
            let pat = self.int_pattern(st);
            let guard =
                if self.rng.chance(1, 4) { format!(" if {}", self.expr(Bool, d.min(1))) } else { String::new() };
            arms.push(format!("{pat}{guard} => {}", self.expr(ty, d)));
        }
        if self.rng.chance(1, 2) {
            let b = self.fresh("b");
            self.scopes.push(vec![Var { name: b.clone(), ty: st, mutable: false }]);
            let g = self.expr(Bool, d.min(1));
            let body = self.expr(ty, d);
            self.scopes.pop();
            arms.push(format!("{b} if {g} => {body}"));
        }
        arms.push(format!("_ => {}", self.expr(ty, d)));
        format!("(match {scrut} {{ {} }})", arms.join(", "))
    }

    /// A `match` over a run of consecutive values (a dispatch table), offset by a base that may
    /// be negative, near `i64::MIN`, or above 2^63 for `u64`.
    fn dispatch_match(&mut self, ty: T, d: u32) -> String {
        let st = *self.rng.pick(&INTS);
        let (base, t): (i128, &str) = match st {
            I64 => (*self.rng.pick(&[0i128, -8, 1000, -9223372036854775808, 9223372036854775792]), "i64"),
            U64 => (*self.rng.pick(&[0i128, 9223372036854775800, 18446744073709551600]), "u64"),
            U8 => (*self.rng.pick(&[0i128, 120, 240]), "u8"),
            _ => (*self.rng.pick(&[0i128, 100]), "usize"),
        };
        let e = self.expr(st, d.min(2));
        let b = if base < 0 { format!("({base}{t})") } else { format!("{base}{t}") };
        let scrut = format!("(({e}) & 15).wrapping_add({b})");
        let n = self.rng.range(3, 16) as i128;
        let mut arms = Vec::new();
        let mut k: i128 = 0;
        while k < n {
            if self.rng.chance(1, 5) {
                k += 1;
                continue; // sparse
            }
            let v = base + k;
            let pat = if self.rng.chance(1, 5) && k + 1 < n {
                k += 1;
                format!("{v} | {}", base + k)
            } else if self.rng.chance(1, 8) && k + 2 < n {
                k += 2;
                format!("{v}..={}", base + k)
            } else {
                format!("{v}")
            };
            let body = self.expr(ty, d);
            arms.push(format!("{pat} => {body}"));
            k += 1;
        }
        arms.push(format!("_ => {}", self.expr(ty, d)));
        format!("(match {scrut} {{ {} }})", arms.join(", "))
    }

    fn int_pattern(&mut self, ty: T) -> String {
        match self.rng.below(4) {
            0 => {
                let a = self.pat_lit(ty);
                let b = self.pat_lit(ty);
                format!("{a} | {b}")
            }
            1 => {
                let a = self.pat_lit(ty);
                let b = a + self.rng.range(0, 6);
                format!("{a}..={b}")
            }
            2 if ty == U8 => {
                let hi = self.rng.range(200, 255);
                format!("{hi}..=255")
            }
            2 if ty == I64 => "i64::MIN..=-1".to_string(),
            2 if ty == U64 => {
                let p = *self.rng.pick(&[
                    "9223372036854775808..=18446744073709551615",
                    "u64::MAX",
                    "18446744073709551615",
                    "9223372036854775807..=9223372036854775809",
                ]);
                if p == "u64::MAX" && self.avoid.assoc_const_pattern {
                    "18446744073709551615".to_string()
                } else {
                    p.to_string()
                }
            }
            _ => format!("{}", self.pat_lit(ty)),
        }
    }

    /// An integer from a compound value.
    fn from_compound(&mut self, ty: T, d: u32) -> String {
        let t = ty.rust();
        let e = match self.rng.below(10) {
            0 => format!("({}).x", self.expr(Pt, d)),
            1 => format!("(({}).y as i64)", self.expr(Pt, d)),
            2 => format!("({}).norm1()", self.expr(Pt, d)),
            3 => format!("sh_val({})", self.expr(Sh, d)),
            4 => format!("({}).0", self.expr(Tup, d)),
            5 => format!("({}).unwrap_or({})", self.expr(Opt, d), self.default_arg(I64, d)),
            6 => {
                let r = self.expr(Res, d);
                let dflt = self.expr(I64, d);
                let v = self.fresh("v");
                match self.rng.below(3) {
                    0 => format!("(match {r} {{ Ok({v}) => {v}, Err(Fail::Neg({v})) => {v}, Err(Fail::Big) => {dflt}, Err(Fail::Odd({v})) => {v} as i64 }})"),
                    1 => format!("(match {r} {{ Ok(0) => 1000, Ok({v}) if {v} < 0 => {v}, Ok({v}) => {v}.wrapping_add(1), Err(Fail::Odd(1..=9) | Fail::Big) => {dflt}, Err(_) => -1 }})"),
                    _ => format!("{{ let {v}: Result<i64, Fail> = {r}; if {v}.is_ok() {{ {v}.unwrap() }} else {{ {dflt} }} }}"),
                }
            }
            7 => {
                let o = self.expr(Obj, d);
                match self.rng.below(4) {
                    0 => format!("({o}).id"),
                    1 if self.rng.chance(1, 3) => format!("({o}).gen.get()"),
                    1 => format!("({o}).val.get()"),
                    2 => format!("({o}).bump({})", self.expr(I64, d)),
                    _ => format!("(match ({o}).next.get() {{ Some(nx) => nx.val.get(), None => -7 }})"),
                }
            }
            8 if self.rng.chance(1, 2) => {
                format!("chain_sum({}, {})", self.expr(Obj, d), self.rng.range(1, 6))
            }
            8 if self.rng.chance(1, 3) => {
                format!("deep({}, {})", *self.rng.pick(&[0, 1, 5, 50, 300, 2000]), self.expr(Obj, d))
            }
            8 if self.rng.chance(1, 2) => {
                let v = self.fresh("x");
                match self.rng.below(6) {
                    0 => format!("(match {} {{ Some({v}) => {v}.val.get(), None => -1 }})", self.expr(OptObj, d)),
                    1 => format!("(match {} {{ Some({v}) => {v}.x, None => -2 }})", self.expr(OptPt, d)),
                    2 => format!("(match {} {{ Some({v}) => {v}.len() as i64, None => -3 }})", self.expr(OptStr, d)),
                    3 if self.rng.chance(1, 2) => {
                        let c = *self.rng.pick(&[ListTup, ListF, ListU8, ListOpt, ArrB]);
                        let n = self.fresh("k");
                        let l = self.expr(c, d);
                        let idx = self.index_below(&format!("{n}.len()"), d);
                        let conv = match c {
                            ListTup => format!("{n}.get({idx}).0"),
                            ListOpt => format!("{n}.get({idx}).unwrap_or(-1)"),
                            _ => format!("({n}.get({idx}) as i64)"),
                        };
                        format!("{{ let {n}: {} = {l}; if {n}.len() == 0 {{ -5 }} else {{ {conv} }} }}", c.rust())
                    }
                    3 if self.rng.chance(1, 2) => {
                        if self.rng.chance(1, 2) {
                            format!("sh_val(({}).get({}).unwrap_or(Sh::Dot))", self.expr(MapSSh, d), self.expr(Str, d))
                        } else {
                            format!(
                                "(match ({}).get({}) {{ Some(s) => s.len() as i64, None => -6 }})",
                                self.expr(MapU8S, d),
                                self.expr(U8, d)
                            )
                        }
                    }
                    3 if self.rng.chance(1, 2) => {
                        if self.rng.chance(1, 2) {
                            format!("tok_val({})", self.expr(Tok, d))
                        } else {
                            let r = self.expr(Rec, d);
                            format!("rec_val({r})")
                        }
                    }
                    3 => format!("({}).get({}).unwrap_or(-4)", self.expr(MapKI, d), self.key()),
                    4 => format!("(({}).len() as i64)", self.expr(MapKI, d)),
                    _ => format!("(({}).unwrap_or({})).id", self.expr(OptObj, d), self.expr(Obj, d)),
                }
            }
            8 => format!("tree_sum({})", self.expr(Tree, d)),
            _ => {
                let s = self.expr(Seg, d);
                format!("(({s}).a.x ^ ({s}).b.x)")
            }
        };
        if ty == I64 {
            e
        } else {
            format!("(({e}) as {t})")
        }
    }

    /// An integer read from a container (indices in range).
    fn from_container(&mut self, ty: T, d: u32) -> String {
        let t = ty.rust();
        let n = self.fresh("k");
        let e = match self.rng.below(8) {
            0 => format!("(({}).len() as i64)", self.expr(List, d)),
            1 => {
                let l = self.expr(List, d);
                let idx = self.index_below(&format!("{n}.len()"), d);
                format!("{{ let {n}: GcList<i64> = {l}; if {n}.is_empty() {{ -1 }} else {{ {n}.get({idx}) }} }}")
            }
            2 => {
                let a = self.expr(Arr, d);
                let idx = self.index_below(&format!("{n}.len()"), d);
                format!("{{ let {n}: GcArray<u64> = {a}; if {n}.len() == 0 {{ 5 }} else {{ {n}.get({idx}) as i64 }} }}")
            }
            3 => {
                let m = self.expr(MapII, d);
                format!("({m}).get({} & 7).unwrap_or({})", self.expr(I64, d), self.default_arg(I64, d))
            }
            4 => {
                let m = self.expr(MapII, d);
                let idx = self.index_below(&format!("{n}.len()"), d);
                let which = if self.rng.chance(1, 2) { "key_at" } else { "value_at" };
                format!("{{ let {n}: GcMap<i64, i64> = {m}; if {n}.len() == 0 {{ 0 }} else {{ {n}.{which}({idx}) }} }}")
            }
            5 => {
                let m = self.expr(MapSI, d);
                format!("({m}).get({}).unwrap_or(-3)", self.expr(Str, d))
            }
            6 => {
                let l = self.expr(ListSh, d);
                let idx = self.index_below(&format!("{n}.len()"), d);
                format!("{{ let {n}: GcList<Sh> = {l}; if {n}.len() > 0 {{ sh_val({n}.get({idx})) }} else {{ 9 }} }}")
            }
            _ => {
                let a = self.expr(ArrPt, d);
                let idx = self.index_below(&format!("{n}.len()"), d);
                format!("{{ let {n}: GcArray<Pt> = {a}; {n}.get({idx}).x }}")
            }
        };
        if ty == I64 {
            e
        } else {
            format!("(({e}) as {t})")
        }
    }

    fn from_str(&mut self, ty: T, d: u32) -> String {
        let t = ty.rust();
        let s = self.expr(Str, d);
        let n = self.fresh("s");
        let e = match self.rng.below(7) {
            0 => format!("(({s}).len() as i64)"),
            1 => format!("(({s}).hash() as i64)"),
            2 => format!("({s}).compare({})", self.expr(Str, d)),
            3 => format!("({s}).parse_i64().unwrap_or(-1)"),
            4 => {
                let start = self.expr(Usize, d.min(1));
                format!("(match ({s}).find({}, {start} % 8) {{ Some(p) => p as i64, None => -1 }})", self.expr(Str, d))
            }
            5 => {
                let idx = self.index_below(&format!("{n}.len()"), d);
                format!("{{ let {n}: Str = {s}; if {n}.is_empty() {{ -2 }} else {{ {n}.byte_at({idx}) as i64 }} }}")
            }
            _ => format!("(({s}).parse_f64().unwrap_or(0.5) as i64)"),
        };
        if ty == I64 {
            e
        } else {
            format!("(({e}) as {t})")
        }
    }

    /// `loop` with `break value` as an expression.
    fn loop_expr(&mut self, ty: T, d: u32) -> String {
        let t = ty.rust();
        let acc = self.fresh("acc");
        let i = self.fresh("i");
        let init = self.expr(ty, d);
        let n = self.rng.range(0, 5);
        self.scopes.push(vec![
            Var { name: acc.clone(), ty, mutable: false },
            Var { name: i.clone(), ty: I64, mutable: false },
        ]);
        self.loops.push(Loop { label: None });
        let step = self.expr(ty, d.min(2));
        self.loops.pop();
        self.scopes.pop();
        self.cur_loopy = true;
        if self.rng.chance(1, 2) {
            // Nested loops, leaving the outer one with a value from inside the inner one.
            self.labels += 1;
            let l = format!("'x{}", self.labels);
            let j = self.fresh("j");
            self.scopes.push(vec![
                Var { name: acc.clone(), ty, mutable: false },
                Var { name: i.clone(), ty: I64, mutable: false },
            ]);
            self.loops.push(Loop { label: None });
            let cond = self.expr(Bool, 1);
            self.loops.pop();
            self.scopes.pop();
            return format!("{{ let mut {acc}: {t} = {init}; let mut {i}: i64 = 0; {l}: loop {{ {i} += 1; let mut {j}: i64 = 0; while {j} < 3 {{ {j} += 1; if {cond} {{ break {l} {acc}; }} {acc} = ({acc}).wrapping_add({step}); }} if {i} >= {n} {{ break {acc}; }} }} }}");
        }
        format!("{{ let mut {acc}: {t} = {init}; let mut {i}: i64 = 0; loop {{ if {i} >= {n} {{ break {acc}; }} {acc} = ({acc}).wrapping_add({step}); {i} += 1; }} }}")
    }

    fn float_expr(&mut self, d: u32) -> String {
        let d1 = d - 1;
        match self.rng.below(16) {
            0..=2 => {
                let op = *self.rng.pick(&["+", "-", "*", "/", "%"]);
                format!("({} {op} {})", self.expr(F64, d1), self.expr(F64, d1))
            }
            3 => format!("(-{})", self.expr(F64, d1)),
            4 => {
                let m = *self.rng.pick(&["sqrt", "floor", "ceil", "abs", "floor", "abs"]);
                format!("({}).{m}()", self.expr(F64, d1))
            }
            5 => {
                let m = *self.rng.pick(&["min", "max", "powf"]);
                let e = format!("({}).{m}({})", self.expr(F64, d1), self.expr(F64, d1));
                if self.avoid.float_minmax_zero && m != "powf" {
                    // `+ 0.0` turns -0.0 into 0.0: the sign of a zero result no longer shows.
                    format!("({e} + 0.0)")
                } else {
                    e
                }
            }
            6 => format!("({}).powi({})", self.expr(F64, d1), self.rng.range(-3, 4)),
            7 => {
                let m = *self.rng.pick(&["sin", "cos", "exp", "ln"]);
                format!("({}).{m}()", self.expr(F64, d1))
            }
            8..=10 => {
                let from = *self.rng.pick(&INTS);
                format!("(({}) as f64)", self.expr(from, d1))
            }
            11 => {
                format!("(if {} {{ {} }} else {{ {} }})", self.expr(Bool, d1), self.expr(F64, d1), self.expr(F64, d1))
            }
            12 => format!("({}).w", self.expr(Seg, d1)),
            13 => format!("({}).parse_f64().unwrap_or(-1.5)", self.expr(Str, d1)),
            _ => self.leaf(F64),
        }
    }

    fn bool_expr(&mut self, d: u32) -> String {
        let d1 = d - 1;
        match self.rng.below(20) {
            0..=3 => {
                let ty = *self.rng.pick(&[I64, U64, U8, Usize, F64, I64]);
                let op = *self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
                format!("({} {op} {})", self.expr(ty, d1), self.expr(ty, d1))
            }
            4 | 5 => {
                let op = *self.rng.pick(&["&&", "||"]);
                let tag = self.rng.range(0, 99);
                let rhs = if self.rng.chance(1, 2) {
                    format!("side({tag}, {})", self.expr(Bool, d1))
                } else {
                    self.expr(Bool, d1)
                };
                format!("({} {op} {rhs})", self.expr(Bool, d1))
            }
            6 => format!("(!{})", self.expr(Bool, d1)),
            7 => {
                let op = *self.rng.pick(&["==", "!="]);
                format!("({} {op} {})", self.expr(Bool, d1), self.expr(Bool, d1))
            }
            8 => {
                let op = *self.rng.pick(&["==", "!="]);
                format!("({} {op} {})", self.expr(Str, d1), self.expr(Str, d1))
            }
            9 => {
                let m = *self.rng.pick(&["starts_with", "ends_with"]);
                format!("({}).{m}({})", self.expr(Str, d1), self.expr(Str, d1))
            }
            10 => {
                let pat = *self.rng.pick(&[
                    "Sh::Dot",
                    "Sh::Circle(0..=9)",
                    "Sh::Circle(_) | Sh::Dot",
                    "Sh::Rect(_, 0)",
                    "Sh::Rect(1..=100, 1..=100)",
                    "Sh::Tagged(_, true)",
                ]);
                format!("matches!({}, {pat})", self.expr(Sh, d1))
            }
            11 => {
                let m = *self.rng.pick(&["is_some", "is_none"]);
                format!("({}).{m}()", self.expr(Opt, d1))
            }
            12 => {
                let m = *self.rng.pick(&["is_ok", "is_err"]);
                format!("({}).{m}()", self.expr(Res, d1))
            }
            13 => format!("({}).is_nan()", self.expr(F64, d1)),
            14 => {
                let ty = *self.rng.pick(&[I64, U64, U8]);
                let m = *self.rng.pick(&["overflowing_add", "overflowing_sub", "overflowing_mul"]);
                format!("({}).{m}({}).1", self.expr(ty, d1), self.expr(ty, d1))
            }
            15 => format!("Gc::ptr_eq({}, {})", self.expr(Obj, d1), self.expr(Obj, d1)),
            16 => {
                let c = *self.rng.pick(&[List, ListStr, MapII, MapSI, Str]);
                format!("({}).is_empty()", self.expr(c, d1))
            }
            17 => {
                let pat = *self.rng.pick(&["(0, _)", "(_, 0..=9)", "(1 | 2 | 3, 255)", "(i64::MIN..=-1, _)"]);
                format!("matches!({}, {pat})", self.expr(Tup, d1))
            }
            18 => format!("({}).contains_key({} & 7)", self.expr(MapII, d1), self.expr(I64, d1)),
            _ => self.leaf(Bool),
        }
    }

    fn str_expr(&mut self, d: u32) -> String {
        let d1 = d - 1;
        match self.rng.below(16) {
            0..=2 => format!("({}).concat({})", self.expr(Str, d1), self.expr(Str, d1)),
            3 => format!("Str::from_i64({})", self.expr(I64, d1)),
            4 => format!("Str::from_u64({})", self.expr(U64, d1)),
            5 => format!("Str::from_f64({})", self.expr(F64, d1)),
            6 => format!("Str::from_byte({})", self.expr(U8, d1)),
            7 => {
                let n = self.fresh("s");
                let i = self.fresh("i");
                let j = self.fresh("j");
                let s = self.expr(Str, d1);
                let a = self.expr(U64, d1.min(1));
                let b = self.expr(U64, d1.min(1));
                format!("{{ let {n}: Str = {s}; let {i}: usize = (({a}) % (({n}.len() + 1) as u64)) as usize; let {j}: usize = {i} + ((({b}) % (({n}.len() - {i} + 1) as u64)) as usize); {n}.slice({i}, {j}) }}")
            }
            8 => format!("({}).repeat({})", self.expr(Str, d1), self.rng.range(0, 3)),
            9 => {
                let b = self.fresh("sb");
                let mut s = format!("{{ let {b}: StrBuilder = StrBuilder::new();");
                for _ in 0..self.rng.range(0, 4) {
                    if self.rng.chance(1, 2) {
                        let e = self.expr(Str, d1);
                        write!(s, " {b}.push_str({e});").unwrap();
                    } else {
                        let e = self.expr(U8, d1);
                        write!(s, " {b}.push_byte({e});").unwrap();
                    }
                }
                if self.rng.chance(1, 3) {
                    write!(s, " {b}.push_str(Str::from_u64({b}.len() as u64));").unwrap();
                }
                write!(s, " {b}.build() }}").unwrap();
                s
            }
            10 => {
                format!("(if {} {{ {} }} else {{ {} }})", self.expr(Bool, d1), self.expr(Str, d1), self.expr(Str, d1))
            }
            11 if self.rng.chance(1, 2) => match self.rng.below(3) {
                0 => format!("({}).name", self.expr(Rec, d1)),
                1 => format!("tok_text({})", self.expr(Tok, d1)),
                _ => format!(
                    "(match {} {{ Tok::Pair(a, r) => a.concat(r.name), Tok::Word(w) => w, _ => Str::from(\"-\") }})",
                    self.expr(Tok, d1)
                ),
            },
            11 => format!("({}).name.get()", self.expr(Obj, d1)),
            12 => {
                let n = self.fresh("k");
                let l = self.expr(ListStr, d1);
                let idx = self.index_below(&format!("{n}.len()"), d1);
                format!("{{ let {n}: GcList<Str> = {l}; if {n}.len() == 0 {{ Str::from(\"none\") }} else {{ {n}.get({idx}) }} }}")
            }
            13 => {
                let n = self.fresh("k");
                let m = self.expr(MapSI, d1);
                let idx = self.index_below(&format!("{n}.len()"), d1);
                format!("{{ let {n}: GcMap<Str, i64> = {m}; if {n}.is_empty() {{ Str::from(\"empty\") }} else {{ {n}.key_at({idx}) }} }}")
            }
            14 => format!("cap({})", self.expr(Str, d1)),
            _ => self.leaf(Str),
        }
    }

    fn compound_expr(&mut self, ty: T, d: u32) -> String {
        let d1 = d - 1;
        match self.rng.below(6) {
            0 => format!("(if {} {{ {} }} else {{ {} }})", self.expr(Bool, d1), self.expr(ty, d1), self.expr(ty, d1)),
            1 if ty == Opt => {
                let ity = *self.rng.pick(&[I64, I64, U64]);
                if ity == I64 {
                    let m = *self.rng.pick(&["checked_add", "checked_sub", "checked_mul"]);
                    format!("({}).{m}({})", self.expr(I64, d1), self.expr(I64, d1))
                } else {
                    match self.rng.below(4) {
                        0 => format!("({}).pop()", self.expr(List, d1)),
                        1 => format!("({}).get({} & 7)", self.expr(MapII, d1), self.expr(I64, d1)),
                        2 => format!(
                            "({}).insert({} & 7, {})",
                            self.expr(MapII, d1),
                            self.expr(I64, d1),
                            self.expr(I64, d1)
                        ),
                        _ => format!("({}).remove({} & 7)", self.expr(MapII, d1), self.expr(I64, d1)),
                    }
                }
            }
            2 if ty == Obj => {
                let n = self.fresh("k");
                let l = self.expr(ListObj, d1);
                let idx = self.index_below(&format!("{n}.len()"), d1);
                let dflt = self.expr(Obj, d1);
                format!(
                    "{{ let {n}: GcList<Gc<Obj>> = {l}; if {n}.is_empty() {{ {dflt} }} else {{ {n}.get({idx}) }} }}"
                )
            }
            1 if ty == OptObj => match self.rng.below(5) {
                0 => format!("({}).next.get()", self.expr(Obj, d1)),
                1 => format!("({}).pop()", self.expr(ListObj, d1)),
                2 => format!("({}).get({} & 7)", self.expr(MapIO, d1), self.expr(I64, d1)),
                3 => {
                    let n = self.fresh("k");
                    let a = self.expr(ArrOpt, d1);
                    let idx = self.index_below(&format!("{n}.len()"), d1);
                    format!("{{ let {n}: GcArray<Option<Gc<Obj>>> = {a}; {n}.get({idx}) }}")
                }
                _ => format!("({}).insert({} & 7, {})", self.expr(MapIO, d1), self.expr(I64, d1), self.expr(Obj, d1)),
            },
            1 if ty == OptStr => match self.rng.below(2) {
                0 => format!("({}).pop()", self.expr(ListStr, d1)),
                _ => format!("(if {} {{ Some({}) }} else {{ None }})", self.expr(Bool, d1), self.expr(Str, d1)),
            },
            1 if ty == OptPt => {
                let n = self.fresh("k");
                let a = self.expr(ArrPt, d1);
                let i = self.expr(Usize, d1);
                format!("{{ let {n}: GcArray<Pt> = {a}; if {i} < {n}.len() {{ Some({n}.get({i})) }} else {{ None }} }}")
            }
            2 if ty == Rec => {
                let t = self.expr(Tok, d1);
                let r = self.expr(Rec, d1);
                let o = self.expr(Obj, d1);
                let (a, b) = (self.fresh("a"), self.fresh("b"));
                format!(
                    "(match {t} {{ Tok::Pair(_, {a}) => {a}, Tok::Ref({b}) => Rec {{ obj: {b}, name: {b}.name.get(), n: {b}.id.wrapping_add(({o}).id) }}, _ => {r} }})"
                )
            }
            3 if ty == Obj => format!("({}).obj", self.expr(Rec, d1)),
            1 if ty == Obj => {
                let o = self.expr(Obj, d1);
                format!("(match ({o}).next.get() {{ Some(nx) => nx, None => {} }})", self.expr(Obj, d1))
            }
            1 if ty == Sh => {
                let n = self.fresh("k");
                let l = self.expr(ListSh, d1);
                let idx = self.index_below(&format!("{n}.len()"), d1);
                format!("{{ let {n}: GcList<Sh> = {l}; if {n}.is_empty() {{ Sh::Dot }} else {{ {n}.get({idx}) }} }}")
            }
            1 if ty == Pt => {
                let n = self.fresh("k");
                let a = self.expr(ArrPt, d1);
                let idx = self.index_below(&format!("{n}.len()"), d1);
                format!("{{ let {n}: GcArray<Pt> = {a}; {n}.get({idx}) }}")
            }
            1 if ty == Tree => {
                let t = self.expr(Tree, d1);
                format!("(match *({t}) {{ Tree::Node(l, _) => l, Tree::Leaf(_) => {} }})", self.expr(Tree, d1))
            }
            2 if ty == Sh => {
                // match producing a shape.
                let s = self.expr(Sh, d1);
                format!(
                    "(match {s} {{ Sh::Circle(r) if r > 3 => Sh::Rect((r & 255) as u8, 1), Sh::Rect(w, h) => Sh::Circle((w as i64) - (h as i64)), Sh::Tagged(p, b) => Sh::Tagged(Pt {{ x: p.x.wrapping_add(1), y: p.y }}, !b), other => other }})"
                )
            }
            2 if ty == Tup => {
                let t = self.expr(Tup, d1);
                let a = self.fresh("a");
                let b = self.fresh("b");
                format!("{{ let ({a}, {b}) = {t}; ({b} as i64, ({a} & 255) as u8) }}")
            }
            _ => self.construct(ty, d),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Statements
    // -----------------------------------------------------------------------------------------

    /// Prints a value (and, in the entry, mixes it into the checksum `h`).
    fn emit(&mut self, ty: T, e: &str) {
        let label = self.fresh("L");
        let v = self.fresh("e");
        let show = ty.show(&v);
        if self.in_entry {
            self.line(&format!(
                "{{ let {v}: {} = {e}; let s: Str = {show}; h = mix(h, s.hash()); pr(Str::from(\"{label}\"), s); }}",
                ty.rust()
            ));
        } else {
            self.line(&format!("{{ let {v}: {} = {e}; pr(Str::from(\"{label}\"), {show}); }}", ty.rust()));
        }
    }

    fn block_n(&mut self, lo: i64, hi: i64, d: u32) {
        let n = self.rng.range(lo, hi) as usize;
        self.block(n, d);
    }

    fn block(&mut self, n: usize, d: u32) {
        self.scopes.push(Vec::new());
        self.indent += 1;
        for _ in 0..n {
            self.stmt(d);
        }
        self.indent -= 1;
        self.scopes.pop();
    }

    fn stmt(&mut self, d: u32) {
        let nested = d > 0;
        match self.rng.below(27) {
            0..=3 => {
                let ty = if self.rng.chance(2, 3) { *self.rng.pick(&SCALARS) } else { *self.rng.pick(&ALL) };
                // Sometimes shadow a variable in scope (of any type).
                // (Never a constant: `let C = ..` would be a pattern.)
                let vis: Vec<Var> = self
                    .visible()
                    .into_iter()
                    .filter(|v| !v.name.starts_with('C') && !v.name.starts_with('('))
                    .collect();
                let name = if !vis.is_empty() && self.rng.chance(1, 6) {
                    self.rng.pick(&vis).name.clone()
                } else {
                    self.fresh("v")
                };
                let mutable =
                    ty.is_int() || matches!(ty, F64 | Bool | Str | Pt | Sh | Tup | Opt) && self.rng.chance(1, 2);
                let e = self.expr(ty, 3);
                let m = if mutable { "mut " } else { "" };
                self.line(&format!("let {m}{name}: {} = {e};", ty.rust()));
                self.declare(&name, ty, mutable);
                if self.rng.chance(1, 2) {
                    self.emit(ty, &name);
                }
            }
            4..=6 => self.assign(),
            7..=9 => {
                let ty = if self.rng.chance(3, 4) { *self.rng.pick(&SCALARS) } else { *self.rng.pick(&ALL) };
                let e = self.expr(ty, 3);
                self.emit(ty, &e);
            }
            10 | 11 if nested => {
                let c = self.expr(Bool, 2);
                self.line(&format!("if {c} {{"));
                self.block_n(1, 3, d - 1);
                if self.rng.chance(1, 2) {
                    self.line("} else {");
                    self.block_n(1, 3, d - 1);
                }
                self.line("}");
            }
            12 | 13 if nested && self.loops.len() < 2 => self.loop_stmt(d),
            14 if nested => self.match_stmt(d),
            15..=17 => self.mutate(),
            18 if self.in_loop() => {
                let c = self.expr(Bool, 1);
                let lp = self.rng.below(self.loops.len() as u64) as usize;
                let label = self.loops[lp].label.clone();
                let which = if self.rng.chance(1, 2) { "break" } else { "continue" };
                match label {
                    Some(l) => self.line(&format!("if {c} {{ {which} {l}; }}")),
                    None if lp == self.loops.len() - 1 => self.line(&format!("if {c} {{ {which}; }}")),
                    None => {}
                }
            }
            19 if !self.in_entry && self.cur.is_some() => {
                let ret = self.cur.as_ref().unwrap().ret;
                let kind = self.cur.as_ref().unwrap().kind;
                let c = self.expr(Bool, 1);
                let e = match kind {
                    Kind::Res => {
                        if self.rng.chance(1, 2) {
                            format!("Err(Fail::Odd({}))", self.expr(U8, 1))
                        } else {
                            format!("Ok({})", self.expr(I64, 1))
                        }
                    }
                    Kind::Opt => {
                        if self.rng.chance(1, 2) {
                            "None".to_string()
                        } else {
                            format!("Some({})", self.expr(I64, 1))
                        }
                    }
                    Kind::Unit => {
                        self.line(&format!("if {c} {{ return; }}"));
                        return;
                    }
                    _ => self.expr(ret, 1),
                };
                self.line(&format!("if {c} {{ return {e}; }}"));
            }
            20 if nested => {
                // if let / while let
                if self.rng.chance(1, 2) {
                    let o = self.expr(Opt, 2);
                    let v = self.fresh("x");
                    self.line(&format!("if let Some({v}) = {o} {{"));
                    self.scopes.push(vec![Var { name: v.clone(), ty: I64, mutable: false }]);
                    self.block_n(1, 2, d - 1);
                    self.scopes.pop();
                    self.line("} else {");
                    self.block(1, d - 1);
                    self.line("}");
                } else if self.loops.len() < 2 {
                    let tmp = self.fresh("wl");
                    let v = self.fresh("x");
                    let init = format!("mk_list({}, {})", self.rng.range(0, 4), self.expr(I64, 1));
                    self.line(&format!("let {tmp}: GcList<i64> = {init};"));
                    self.line(&format!("while let Some({v}) = {tmp}.pop() {{"));
                    self.loops.push(Loop { label: None });
                    self.cur_loopy = true;
                    self.scopes.push(vec![Var { name: v.clone(), ty: I64, mutable: false }]);
                    self.block_n(1, 3, d - 1);
                    self.scopes.pop();
                    self.loops.pop();
                    self.line("}");
                }
            }
            21 => {
                // Call a function for its effects.
                let fs: Vec<FnSig> = self.fns.iter().filter(|f| !(self.in_loop() && f.loopy)).cloned().collect();
                if !fs.is_empty() {
                    let f = self.rng.pick(&fs).clone();
                    let c = self.call_of(&f, 2);
                    if f.ret == Unit || self.rng.chance(1, 2) {
                        self.line(&format!("{c};"));
                    } else {
                        self.line(&format!("let _ = {c};"));
                    }
                }
            }
            23 if !self.in_loop() && self.rng.chance(1, 2) => self.bulk(),
            22 if nested && self.rng.chance(1, 2) => self.pattern_stmt(d),
            22 if nested => {
                // Tuple destructuring.
                let t = self.expr(Tup, 2);
                let a = self.fresh("ta");
                let b = self.fresh("tb");
                self.line(&format!("let ({a}, {b}) = {t};"));
                self.declare(&a, I64, false);
                self.declare(&b, U8, false);
                self.emit(I64, &format!("{a}.wrapping_add({b} as i64)"));
            }
            _ => {
                let ty = *self.rng.pick(&SCALARS);
                let e = self.expr(ty, 2);
                self.emit(ty, &e);
            }
        }
    }

    /// Statements exercising pattern lowering: or-patterns binding a name at different
    /// positions, tuples of enums, `if let` with enum and tuple patterns, nested options and
    /// tuples, `matches!` with a guard.
    fn pattern_stmt(&mut self, d: u32) {
        let x = self.fresh("x");
        match self.rng.below(7) {
            0 => {
                let t = self.expr(Tok, 2);
                let e = format!(
                    "(match {t} {{ Tok::Word({x}) | Tok::Pair({x}, _) => {x}.len() as i64, Tok::Num({x}) if {x} > 0 => {x}, Tok::Ref(o) => o.id, _ => -1 }})"
                );
                self.emit(I64, &e);
            }
            1 => {
                let a = self.expr(Opt, 2);
                let b = self.expr(Opt, 2);
                let e = format!(
                    "(match ({a}, {b}) {{ (Some({x}), None) | (None, Some({x})) => {x}, (Some({x}), Some(y)) if {x} == y => 0, (Some(_), Some(y)) => y, (None, None) => -9 }})"
                );
                self.emit(I64, &e);
            }
            2 => {
                let a = self.expr(Sh, 2);
                let b = self.expr(Sh, 2);
                let e = format!(
                    "(match ({a}, {b}) {{ (Sh::Dot, Sh::Dot) => 1, (Sh::Circle({x}), Sh::Dot) | (Sh::Dot, Sh::Circle({x})) => {x}, (Sh::Rect(w, _), Sh::Rect(_, h)) if w > h => (w - h) as i64, (Sh::Tagged(p, true), _) | (_, Sh::Tagged(p, true)) => p.x, (Sh::Circle(r1), Sh::Circle(r2)) => r1.wrapping_sub(r2), _ => 7 }})"
                );
                self.emit(I64, &e);
            }
            3 => {
                let sh = self.expr(Sh, 2);
                self.line(&format!("if let Sh::Rect({x}, 0..=99) | Sh::Rect(0..=99, {x}) = {sh} {{"));
                self.scopes.push(vec![Var { name: x.clone(), ty: U8, mutable: false }]);
                self.block_n(1, 2, d - 1);
                self.scopes.pop();
                self.line("} else if let Sh::Tagged(_, false) = Sh::Dot {");
                self.block(1, d - 1);
                self.line("}");
            }
            4 => {
                let o = self.expr(Opt, 2);
                let c = self.expr(Bool, 1);
                let e = format!(
                    "{{ let oo: Option<Option<i64>> = if {c} {{ Some({o}) }} else {{ None }}; match oo {{ Some(Some({x})) => {x}, Some(None) => -1, None => -2 }} }}"
                );
                self.emit(I64, &e);
            }
            5 => {
                let t = self.expr(Tup, 2);
                let st = self.expr(Str, 2);
                let b = self.expr(Bool, 2);
                let (a1, a2, a3, a4) = (self.fresh("n"), self.fresh("n"), self.fresh("n"), self.fresh("n"));
                self.line(&format!("let (({a1}, {a2}), ({a3}, {a4})) = ({t}, ({st}, {b}));"));
                self.declare(&a1, I64, false);
                self.declare(&a2, U8, false);
                self.declare(&a3, Str, false);
                self.declare(&a4, Bool, false);
                self.emit(Str, &format!("{a3}.concat(Str::from_i64({a1} ^ ({a2} as i64)))"));
            }
            _ => {
                let o = self.expr(Opt, 2);
                let k = self.rng.range(-3, 10);
                self.emit(Bool, &format!("matches!({o}, Some({x}) if {x} > {k})"));
            }
        }
    }

    /// Bulk container work (growth, rehashing, removal) and allocation churn, printing summaries.
    fn bulk(&mut self) {
        self.cur_loopy = true;
        let n = *self.rng.pick(&[7i64, 16, 17, 33, 64, 100, 257, 1000]);
        let i = self.fresh("i");
        match self.rng.below(7) {
            5 => {
                // Large objects.
                let big = *self.rng.pick(&[1000i64, 4096, 65536, 1 << 20]);
                let a = self.fresh("ba");
                let e = self.expr(U64, 1);
                self.line(&format!("let {a}: GcArray<u64> = GcArray::new({big}, {e});"));
                self.line(&format!("{a}.set({big} - 1, {a}.get(0).wrapping_add(1));"));
                self.line(&format!("{a}.set({big} / 2, 77);"));
                self.emit(U64, &format!("{a}.get({big} - 1) ^ {a}.get({big} / 2) ^ {a}.get(1)"));
                let st = self.fresh("bs");
                let piece = self.expr(Str, 1);
                self.line(&format!("let {st}: Str = ({piece}).concat(Str::from(\"xy\")).repeat({});", big / 4));
                self.emit(U64, &format!("{st}.hash()"));
                self.emit(Usize, &format!("{st}.len()"));
                let l = self.fresh("bl");
                // (A list of references is scanned at every collection: keep it small for GC stress runs.)
                self.line(&format!("let {l}: GcList<Str> = GcList::with_capacity({});", big.min(4096)));
                self.line(&format!("for {i} in 0..{} {{ {l}.push(Str::from_i64({i})); }}", (big / 64).max(3)));
                self.emit(Str, &format!("{l}.get({l}.len() - 1)"));
            }
            6 => {
                // Enough allocation (> 4 MiB) for the collector to run in a normal (non-stress) run.
                let keep = self.fresh("keep");
                let o = self.fresh("o");
                self.line(&format!("let {keep}: GcList<Gc<Obj>> = GcList::new();"));
                self.line(&format!("for {i} in 0..40000i64 {{"));
                self.indent += 1;
                self.line(&format!(
                    "let {o}: Gc<Obj> = mk_obj({i}, {i}, Str::from_i64({i}).concat(Str::from(\"-\")));"
                ));
                self.line(&format!("if {i} % 400 == 7 {{ {keep}.push({o}); }}"));
                self.line(&format!(
                    "if {i} % 3 == 0 && {keep}.len() > 0 {{ {keep}.get({keep}.len() - 1).next.set(Some({o})); }}"
                ));
                self.indent -= 1;
                self.line("}");
                self.emit(ListObj, &keep);
                self.declare(&keep, ListObj, false);
            }
            0 => {
                let l = self.fresh("bl");
                let k = self.rng.range(1, 1000);
                let c = self.rng.range(0, 3);
                self.line(&format!("let {l}: GcList<i64> = GcList::with_capacity({c});"));
                self.line(&format!("for {i} in 0..{n} {{ {l}.push(({i} as i64).wrapping_mul({k})); }}"));
                if self.rng.chance(1, 2) {
                    self.line(&format!("for {i} in 0..{} {{ let _ = {l}.remove(({i} * 3) % {l}.len()); }}", n / 2));
                }
                if self.rng.chance(1, 2) {
                    self.line(&format!("{l}.insert({l}.len() / 2, -1);"));
                    self.line(&format!("{l}.truncate({l}.len() - {l}.len() / 3);"));
                }
                self.emit(I64, &format!("sum_list({l})"));
                self.emit(Usize, &format!("{l}.len()"));
                self.declare(&l, List, false);
            }
            1 => {
                let m = self.fresh("bm");
                let md = self.rng.range(1, 2 * n);
                let step = self.rng.range(1, 13);
                self.line(&format!("let {m}: GcMap<i64, i64> = GcMap::new();"));
                self.line(&format!("for {i} in 0..{n}i64 {{ let _ = {m}.insert(({i} * {step}) % {md}, {i}); }}"));
                if self.rng.chance(2, 3) {
                    self.line(&format!("for {i} in 0..{}i64 {{ let _ = {m}.remove(({i} * 5) % {md}); }}", n / 2));
                    self.line(&format!("for {i} in 0..{}i64 {{ let _ = {m}.insert({i} * 2, -{i}); }}", n / 3));
                }
                self.emit(I64, &format!("sum_mapii({m})"));
                let k = self.rng.range(0, 20);
                self.emit(Opt, &format!("{m}.get({k})"));
            }
            2 => {
                let m = self.fresh("bs");
                let md = self.rng.range(1, 2 * n);
                self.line(&format!("let {m}: GcMap<Str, i64> = GcMap::new();"));
                self.line(&format!(
                    "for {i} in 0..{n}i64 {{ let _ = {m}.insert(Str::from(\"k\").concat(Str::from_i64(({i} * 7) % {md})), {i}); }}"
                ));
                if self.rng.chance(1, 2) {
                    self.line(&format!("for {i} in 0..{}i64 {{ let _ = {m}.remove(Str::from(\"k\").concat(Str::from_i64({i} * 3))); }}", n / 2));
                }
                self.emit(I64, &format!("sum_mapsi({m})"));
            }
            3 => {
                let b = self.fresh("sb");
                let e = self.expr(U8, 1);
                self.line(&format!("let {b}: StrBuilder = StrBuilder::new();"));
                self.line(&format!(
                    "for {i} in 0..{n} {{ if {i} % 3 == 0 {{ {b}.push_str(Str::from_i64({i} as i64)); }} else {{ {b}.push_byte(({e}).wrapping_add({i} as u8)); }} }}"
                ));
                let s = self.fresh("bt");
                self.line(&format!("let {s}: Str = {b}.build();"));
                self.emit(U64, &format!("{s}.hash()"));
                self.emit(Usize, &format!("{s}.len()"));
                self.emit(
                    Str,
                    &format!("{s}.slice({s}.len() / 2, {s}.len() / 2 + ({s}.len() - {s}.len() / 2).min(12))"),
                );
            }
            _ => {
                // Churn: many short-lived objects and strings, every 10th kept.
                let keep = self.fresh("keep");
                let o = self.fresh("o");
                let n = n.max(100) * 2;
                self.line(&format!("let {keep}: GcList<Gc<Obj>> = GcList::new();"));
                self.line(&format!("for {i} in 0..{n}i64 {{"));
                self.indent += 1;
                self.line(&format!(
                    "let {o}: Gc<Obj> = mk_obj({i}, {i} * {i}, Str::from(\"n\").concat(Str::from_i64({i})));"
                ));
                self.line(&format!("if {i} % 10 == 0 {{ {keep}.push({o}); }} else {{ {o}.next.set(Some(mk_obj(-{i}, 0, Str::from(\"t\")))); }}"));
                self.indent -= 1;
                self.line("}");
                if self.rng.chance(1, 2) {
                    self.line(&format!("link_all({keep});"));
                    let k = self.rng.range(1, 50);
                    self.emit(I64, &format!("chain_sum({keep}.get(0), {k})"));
                }
                self.emit(Usize, &format!("{keep}.len()"));
                self.emit(Obj, &format!("{keep}.get({keep}.len() - 1)"));
                self.declare(&keep, ListObj, false);
            }
        }
    }

    fn assign(&mut self) {
        let vs: Vec<Var> = self.visible().into_iter().filter(|v| v.mutable).collect();
        if vs.is_empty() {
            return;
        }
        let v = self.rng.pick(&vs).clone();
        let n = &v.name;
        let rhs = match v.ty {
            I64 | U64 | U8 | Usize => match self.rng.below(5) {
                0 => format!("{n}.wrapping_add({})", self.expr(v.ty, 2)),
                1 => format!("{n}.wrapping_mul({})", self.expr(v.ty, 2)),
                2 => {
                    let op = *self.rng.pick(&["^=", "|=", "&="]);
                    let e = self.expr(v.ty, 2);
                    self.line(&format!("{n} {op} {e};"));
                    return;
                }
                3 if v.ty == I64 || v.ty == Usize => {
                    // `+= 1` is safe when the value is small: mask first.
                    self.line(&format!("{n} &= 0xFFFF;"));
                    self.line(&format!("{n} += 1;"));
                    return;
                }
                _ => self.expr(v.ty, 3),
            },
            Str => format!("cap({})", self.expr(Str, 3)),
            F64 if self.rng.chance(1, 2) => {
                let op = *self.rng.pick(&["+=", "-=", "*=", "/="]);
                let e = self.expr(F64, 2);
                self.line(&format!("{n} {op} {e};"));
                return;
            }
            ty => self.expr(ty, 3),
        };
        self.line(&format!("{n} = {rhs};"));
    }

    fn mutate(&mut self) {
        let choices: Vec<Var> = self
            .visible()
            .into_iter()
            .filter(|v| {
                v.ty == Obj
                    || v.ty.is_list()
                    || v.ty.is_array()
                    || matches!(v.ty, MapII | MapSI | MapKI | MapIO | MapSSh | MapU8S)
            })
            .collect();
        if choices.is_empty() {
            self.assign();
            return;
        }
        let v = self.rng.pick(&choices).clone();
        let n = v.name.clone();
        // Sometimes a visible receiver, to show that it is evaluated before the arguments.
        let tag = self.rng.range(0, 99);
        let noisy = self.rng.chance(1, 5);
        let recv = |f: &str| if noisy { format!("{f}({tag}, {n})") } else { n.clone() };
        match v.ty {
            Obj => match self.rng.below(4) {
                0 => {
                    let e = self.expr(I64, 2);
                    self.line(&format!("{}.val.set({e});", recv("ticko")));
                }
                1 if self.rng.chance(1, 3) => {
                    let e = self.expr(I64, 2);
                    self.line(&format!("{n}.gen.set({e});"));
                }
                1 => {
                    let e = self.expr(Str, 2);
                    self.line(&format!("{n}.name.set(cap({e}));"));
                }
                2 => {
                    let e =
                        if self.rng.chance(1, 3) { "None".to_string() } else { format!("Some({})", self.expr(Obj, 1)) };
                    self.line(&format!("{n}.next.set({e});"));
                }
                _ => {
                    let e = self.expr(I64, 2);
                    self.line(&format!("let _ = {n}.bump({e});"));
                }
            },
            ty if ty.is_list() => {
                let et = ty.elem().unwrap();
                match self.rng.below(8) {
                    0 | 1 => {
                        let e = self.expr(et, 2);
                        let r = if v.ty == List { recv("tickl") } else { n.clone() };
                        self.line(&format!("{r}.push({e});"));
                    }
                    2 => {
                        let e = self.expr(et, 2);
                        let idx = self.index_below(&format!("{n}.len()"), 1);
                        self.line(&format!("if !{n}.is_empty() {{ {n}.set({idx}, {e}); }}"));
                    }
                    3 => {
                        let e = self.expr(et, 2);
                        let idx = self.index_below(&format!("({n}.len() + 1)"), 1);
                        self.line(&format!("{n}.insert({idx}, {e});"));
                    }
                    4 => {
                        let idx = self.index_below(&format!("{n}.len()"), 1);
                        let r = self.fresh("r");
                        self.line(&format!("if {n}.len() > 0 {{ let {r}: {} = {n}.remove({idx}); {} }}", et.rust(), {
                            let show = et.show(&r);
                            format!("pr(Str::from(\"removed\"), {show});")
                        }));
                    }
                    5 => {
                        let k = self.rng.range(0, 4);
                        self.line(&format!("{n}.truncate({k});"));
                    }
                    6 if v.ty == ListObj && self.rng.chance(1, 2) => {
                        self.line(&format!("link_all({n});"));
                    }
                    6 => {
                        if self.rng.chance(1, 4) {
                            self.line(&format!("{n}.clear();"));
                        } else {
                            self.line(&format!("let _ = {n}.pop();"));
                        }
                    }
                    _ => self.emit(v.ty, &n),
                }
            }
            ArrB | Arr | ArrPt => {
                let et = v.ty.elem().unwrap();
                let e = self.expr(et, 2);
                let idx = self.index_below(&format!("{n}.len()"), 1);
                self.line(&format!("if {n}.len() > 0 {{ {n}.set({idx}, {e}); }}"));
            }
            MapII => match self.rng.below(4) {
                0 | 1 => {
                    let k = self.expr(I64, 1);
                    let e = self.expr(I64, 2);
                    self.line(&format!("let _ = {}.insert({k} & 7, {e});", recv("tickm")));
                }
                2 => {
                    let k = self.expr(I64, 1);
                    self.line(&format!("let _ = {n}.remove({k} & 7);"));
                }
                _ => {
                    if self.rng.chance(1, 5) {
                        self.line(&format!("{n}.clear();"));
                    } else {
                        self.emit(MapII, &n);
                    }
                }
            },
            MapKI => match self.rng.below(4) {
                0 | 1 => {
                    let k = self.key();
                    let e = self.expr(I64, 2);
                    self.line(&format!("let _ = {n}.insert({k}, {e});"));
                }
                2 => {
                    let k = self.key();
                    self.line(&format!("let _ = {n}.remove({k});"));
                }
                _ => {
                    let k = self.key();
                    self.emit(Bool, &format!("{n}.contains_key({k})"));
                }
            },
            MapIO => match self.rng.below(3) {
                0 | 1 => {
                    let k = self.expr(I64, 1);
                    let e = self.expr(Obj, 2);
                    self.line(&format!("let _ = {n}.insert({k} & 7, {e});"));
                }
                _ => {
                    let k = self.expr(I64, 1);
                    self.line(&format!("let _ = {n}.remove({k} & 7);"));
                }
            },
            ArrOpt => {
                let e = self.expr(OptObj, 2);
                let idx = self.index_below(&format!("{n}.len()"), 1);
                self.line(&format!("if {n}.len() > 0 {{ {n}.set({idx}, {e}); }}"));
            }
            MapSSh => match self.rng.below(3) {
                0 | 1 => {
                    let k = self.expr(Str, 1);
                    let e = self.expr(Sh, 2);
                    self.line(&format!("let _ = {n}.insert({k}, {e});"));
                }
                _ => {
                    let k = self.expr(Str, 1);
                    self.line(&format!("let _ = {n}.remove({k});"));
                }
            },
            MapU8S => match self.rng.below(3) {
                0 | 1 => {
                    let k = self.expr(U8, 1);
                    let e = self.expr(Str, 2);
                    self.line(&format!("let _ = {n}.insert({k}, {e});"));
                }
                _ => {
                    let k = self.expr(U8, 1);
                    self.line(&format!("let _ = {n}.remove({k});"));
                }
            },
            MapSI => match self.rng.below(3) {
                0 | 1 => {
                    let k = self.expr(Str, 1);
                    let e = self.expr(I64, 2);
                    self.line(&format!("let _ = {n}.insert({k}, {e});"));
                }
                _ => {
                    let k = self.expr(Str, 1);
                    self.line(&format!("let _ = {n}.remove({k});"));
                }
            },
            _ => unreachable!(),
        }
    }

    fn loop_stmt(&mut self, d: u32) {
        self.cur_loopy = true;
        let label = if self.rng.chance(1, 4) {
            self.labels += 1;
            Some(format!("'l{}", self.labels))
        } else {
            None
        };
        let lab = label.as_ref().map(|l| format!("{l}: ")).unwrap_or_default();
        let body_n = self.rng.range(1, 3) as usize;
        match self.rng.below(4) {
            0 => {
                // for over an integer range
                let ty = *self.rng.pick(&[I64, I64, Usize, U8, U64]);
                let t = ty.rust();
                let i = self.fresh("i");
                let (lo, hi, incl) = match self.rng.below(6) {
                    0 if ty == U8 => ("250u8".to_string(), "255u8".to_string(), true),
                    0 if ty == I64 => ("(i64::MAX - 2)".to_string(), "i64::MAX".to_string(), true),
                    0 if ty == U64 => ("(u64::MAX - 3)".to_string(), "u64::MAX".to_string(), true),
                    1 if ty == I64 => (
                        format!("({}i64)", self.rng.range(-4, 0)),
                        format!("{}i64", self.rng.range(-2, 3)),
                        self.rng.chance(1, 2),
                    ),
                    2 => {
                        let e = self.expr(ty, 1);
                        (format!("0{t}"), format!("(({e}) & 3)"), self.rng.chance(1, 2))
                    }
                    _ => (
                        format!("{}{t}", self.rng.range(0, 2)),
                        format!("{}{t}", self.rng.range(0, 5)),
                        self.rng.chance(1, 3),
                    ),
                };
                let dots = if incl { "..=" } else { ".." };
                self.line(&format!("{lab}for {i} in {lo}{dots}{hi} {{"));
                self.loops.push(Loop { label });
                self.scopes.push(vec![Var { name: i.clone(), ty, mutable: false }]);
                self.block(body_n, d - 1);
                self.scopes.pop();
                self.loops.pop();
                self.line("}");
            }
            1 => {
                let c = self.fresh("w");
                let n = self.rng.range(0, 5);
                self.line(&format!("let mut {c}: i64 = 0;"));
                let extra = if self.rng.chance(1, 3) { format!(" && {}", self.expr(Bool, 1)) } else { String::new() };
                self.line(&format!("{lab}while {c} < {n}{extra} {{"));
                self.indent += 1;
                self.line(&format!("{c} += 1;"));
                self.indent -= 1;
                self.loops.push(Loop { label });
                self.scopes.push(vec![Var { name: c.clone(), ty: I64, mutable: false }]);
                self.block(body_n, d - 1);
                self.scopes.pop();
                self.loops.pop();
                self.line("}");
            }
            2 => {
                let c = self.fresh("w");
                let n = self.rng.range(0, 5);
                self.line(&format!("let mut {c}: i64 = 0;"));
                self.line(&format!("{lab}loop {{"));
                self.indent += 1;
                self.line(&format!("{c} += 1;"));
                self.line(&format!("if {c} > {n} {{ break; }}"));
                self.indent -= 1;
                self.loops.push(Loop { label });
                self.scopes.push(vec![Var { name: c.clone(), ty: I64, mutable: false }]);
                self.block(body_n, d - 1);
                self.scopes.pop();
                self.loops.pop();
                self.line("}");
            }
            _ => {
                // for over a list's indices (the list may change length in the body: read the
                // length each time).
                let ls: Vec<Var> = self.vars_of(List);
                let i = self.fresh("i");
                if let Some(l) = ls.first() {
                    let l = l.name.clone();
                    self.line(&format!("{lab}for {i} in 0..{l}.len() {{"));
                    self.loops.push(Loop { label });
                    self.scopes.push(vec![Var { name: i.clone(), ty: Usize, mutable: false }]);
                    self.indent += 1;
                    let e = format!("if {i} < {l}.len() {{ {l}.get({i}) }} else {{ -99 }}");
                    self.emit(I64, &e);
                    self.indent -= 1;
                    self.block(body_n, d - 1);
                    self.scopes.pop();
                    self.loops.pop();
                    self.line("}");
                } else {
                    self.line(&format!("{lab}for {i} in b'a'..=b'c' {{"));
                    self.loops.push(Loop { label });
                    self.scopes.push(vec![Var { name: i.clone(), ty: U8, mutable: false }]);
                    self.block(body_n, d - 1);
                    self.scopes.pop();
                    self.loops.pop();
                    self.line("}");
                }
            }
        }
    }

    fn match_stmt(&mut self, d: u32) {
        match self.rng.below(4) {
            0 => {
                let ty = *self.rng.pick(&INTS);
                let s = self.expr(ty, 2);
                self.line(&format!("match {s} {{"));
                self.indent += 1;
                for _ in 0..self.rng.range(1, 3) {
                    let p = self.int_pattern(ty);
                    self.line(&format!("{p} => {{"));
                    self.block(1, d - 1);
                    self.line("}");
                }
                let b = self.fresh("b");
                self.line(&format!("{b} => {{"));
                self.scopes.push(vec![Var { name: b.clone(), ty, mutable: false }]);
                self.block(1, d - 1);
                self.scopes.pop();
                self.line("}");
                self.indent -= 1;
                self.line("}");
            }
            1 => {
                let s = self.expr(Sh, 2);
                self.line(&format!("match {s} {{"));
                self.indent += 1;
                let r = self.fresh("r");
                let w = self.fresh("w");
                let p = self.fresh("p");
                let arms: Vec<(String, Vec<Var>)> = vec![
                    ("Sh::Dot".into(), vec![]),
                    (format!("Sh::Circle({r}) if {r} > 2"), vec![Var { name: r.clone(), ty: I64, mutable: false }]),
                    (format!("Sh::Rect({w}, 0 | 1)"), vec![Var { name: w.clone(), ty: U8, mutable: false }]),
                    (format!("Sh::Tagged({p}, false)"), vec![Var { name: p.clone(), ty: Pt, mutable: false }]),
                ];
                for (pat, vars) in arms {
                    if self.rng.chance(2, 3) {
                        self.line(&format!("{pat} => {{"));
                        self.scopes.push(vars);
                        self.block(1, d - 1);
                        self.scopes.pop();
                        self.line("}");
                    }
                }
                self.line("_ => {");
                self.block(1, d - 1);
                self.line("}");
                self.indent -= 1;
                self.line("}");
            }
            2 => {
                let s = self.expr(Res, 2);
                let v = self.fresh("ok");
                self.line(&format!("match {s} {{"));
                self.indent += 1;
                self.line(&format!("Ok({v}) => {{"));
                self.scopes.push(vec![Var { name: v.clone(), ty: I64, mutable: false }]);
                self.block(1, d - 1);
                self.scopes.pop();
                self.line("}");
                let f = self.fresh("f");
                self.line(&format!("Err(Fail::Neg({f})) if {f} < -5000 => {{"));
                self.scopes.push(vec![Var { name: f.clone(), ty: I64, mutable: false }]);
                self.block(1, d - 1);
                self.scopes.pop();
                self.line("}");
                let e = self.fresh("er");
                self.line(&format!("Err({e}) => pr(Str::from(\"err\"), show_fail({e})),"));
                self.indent -= 1;
                self.line("}");
            }
            _ => {
                let a = self.expr(I64, 2);
                let b = self.expr(Bool, 2);
                self.line(&format!("match ({a}, {b}) {{"));
                self.indent += 1;
                self.line("(0, _) => {");
                self.block(1, d - 1);
                self.line("}");
                let x = self.fresh("x");
                self.line(&format!("({x}, true) if {x} > 10 => {{"));
                self.scopes.push(vec![Var { name: x.clone(), ty: I64, mutable: false }]);
                self.block(1, d - 1);
                self.scopes.pop();
                self.line("}");
                self.line("(-5..=-1, false) | (1..=3, _) => {");
                self.block(1, d - 1);
                self.line("}");
                self.line("_ => {}");
                self.indent -= 1;
                self.line("}");
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Constants
    // -----------------------------------------------------------------------------------------

    /// Wraps `v` to the range of integer type `ty` (two's complement).
    fn wrap(ty: T, v: i128) -> i128 {
        let bits = if ty == U8 { 8 } else { 64 };
        let m = v & ((1i128 << bits) - 1);
        if ty == I64 && m >= 1i128 << 63 {
            m - (1i128 << 64)
        } else {
            m
        }
    }

    fn in_range(ty: T, v: i128) -> bool {
        match ty {
            I64 => v >= i64::MIN as i128 && v <= i64::MAX as i128,
            U8 => (0..=255).contains(&v),
            _ => v >= 0 && v <= u64::MAX as i128,
        }
    }

    fn int_lit_text(ty: T, v: i128) -> String {
        if ty == I64 && v == i64::MIN as i128 {
            return "i64::MIN".to_string();
        }
        if v < 0 {
            format!("({v}{})", ty.rust())
        } else {
            format!("{v}{}", ty.rust())
        }
    }

    /// A constant integer expression of type `ty` and its value (never overflowing: rustc
    /// rejects overflow in constants).
    fn const_int(&mut self, ty: T, d: u32) -> (String, i128) {
        let leaf = |g: &mut Gen| -> (String, i128) {
            let prev: Vec<usize> = (0..g.consts.len()).filter(|&i| g.consts[i].ty == ty).collect();
            if !prev.is_empty() && g.rng.chance(1, 2) {
                let i = *g.rng.pick(&prev);
                return (g.consts[i].name.clone(), g.const_vals[i]);
            }
            let v: i128 = match g.rng.below(4) {
                0 => match ty {
                    I64 => *g.rng.pick(&[i64::MIN as i128, i64::MAX as i128, -1, 0]),
                    U8 => *g.rng.pick(&[0, 255, 128]),
                    _ if g.avoid.const_unsigned => *g.rng.pick(&[0, i64::MAX as i128, 1 << 62]),
                    _ => *g.rng.pick(&[0, u64::MAX as i128, 1 << 63]),
                },
                1 if g.avoid.const_unsigned && ty != I64 => Gen::wrap(ty, (g.rng.next() >> 1) as i128),
                1 => Gen::wrap(ty, g.rng.next() as i128),
                _ => {
                    let x = g.rng.range(0, 300) as i128;
                    if ty == I64 && g.rng.chance(1, 3) {
                        -x
                    } else {
                        Gen::wrap(ty, x).min(if ty == U8 { 255 } else { 300 })
                    }
                }
            };
            (Gen::int_lit_text(ty, v), v)
        };
        if d == 0 || self.rng.chance(1, 3) {
            return leaf(self);
        }
        let bits: i128 = if ty == U8 { 8 } else { 64 };
        for _ in 0..4 {
            let (a, va) = self.const_int(ty, d - 1);
            let op = *self.rng.pick(&["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "neg", "not", "cast"]);
            let r: Option<(String, i128)> = match op {
                "neg" => (ty == I64 && va != i64::MIN as i128).then(|| (format!("(-{a})"), -va)),
                "not" => Some((format!("(!{a})"), Gen::wrap(ty, !va))),
                "cast" => {
                    let mut from = *self.rng.pick(&INTS);
                    if self.avoid.const_cast {
                        from = I64; // the operand of a cast is evaluated as an i64
                    }
                    let (b, vb) = self.const_int(from, d - 1);
                    Some((format!("({b} as {})", ty.rust()), Gen::wrap(ty, vb)))
                }
                "<<" | ">>" => {
                    let k = self.rng.below(bits as u64) as i128;
                    if self.avoid.const_unsigned && op == "<<" && ty == U8 && (va << k) > 255 {
                        continue;
                    }
                    let v = if op == "<<" { Gen::wrap(ty, va << k) } else { va >> k };
                    Some((format!("({a} {op} {k})"), v))
                }
                _ => {
                    let (b, vb) = self.const_int(ty, d - 1);
                    let v = match op {
                        "+" => va.checked_add(vb),
                        "-" => va.checked_sub(vb),
                        "*" => va.checked_mul(vb),
                        "/" | "%" if vb == 0 || (ty == I64 && va == i64::MIN as i128 && vb == -1) => None,
                        "/" => Some(va / vb),
                        "%" => Some(va % vb),
                        "&" => Some(va & vb),
                        "|" => Some(va | vb),
                        _ => Some(va ^ vb),
                    };
                    v.filter(|&v| Gen::in_range(ty, v)).map(|v| (format!("({a} {op} {b})"), v))
                }
            };
            if let Some(r) = r {
                let bad = (self.avoid.const_ops && op == "^")
                    || (self.avoid.const_unsigned && ty != I64 && r.1 >= 1i128 << 63);
                if !bad {
                    return r;
                }
            }
        }
        leaf(self)
    }

    /// `const C<n>: T = ...;` items (integers, floats, bools) over earlier constants.
    fn constants(&mut self) -> String {
        let mut out = String::new();
        for _ in 0..self.rng.range(0, 6) {
            let name = format!("C{}", self.consts.len() + 1);
            let ty = *self.rng.pick(&[I64, I64, U64, U8, Usize, F64, Bool]);
            let (e, v) = match ty {
                F64 => {
                    let ints: Vec<usize> = (0..self.consts.len()).filter(|&i| self.consts[i].ty.is_int()).collect();
                    let e = if !ints.is_empty() && self.rng.chance(1, 2) {
                        let i = *self.rng.pick(&ints);
                        format!("({} as f64) / 3.0 + 0.25", self.consts[i].name)
                    } else {
                        let mut l = self.lit(F64);
                        if self.avoid.const_ops && l.contains("f64::") {
                            l = "0.75".to_string();
                        }
                        format!("{l} * 2.0 - 1.5")
                    };
                    (e, 0)
                }
                Bool => {
                    let t = *self.rng.pick(&INTS);
                    let (a, _) = self.const_int(t, 1);
                    let (b, _) = self.const_int(t, 1);
                    let op = *self.rng.pick(&["<", "<=", "==", "!=", ">"]);
                    if self.avoid.const_ops {
                        let prev: Vec<usize> = (0..self.consts.len()).filter(|&i| self.consts[i].ty == Bool).collect();
                        match prev.first() {
                            Some(&i) => (format!("!{}", self.consts[i].name), 0),
                            None => ("!false".to_string(), 0),
                        }
                    } else {
                        (format!("{a} {op} {b}"), 0)
                    }
                }
                _ => self.const_int(ty, 3),
            };
            writeln!(out, "const {name}: {} = {e};", ty.rust()).unwrap();
            self.consts.push(Var { name, ty, mutable: false });
            self.const_vals.push(v);
        }
        out
    }

    // -----------------------------------------------------------------------------------------
    // Functions
    // -----------------------------------------------------------------------------------------

    fn function(&mut self, idx: usize) -> String {
        let kind = match self.rng.below(7) {
            0 => Kind::Res,
            1 => Kind::Opt,
            2 => Kind::Rec,
            3 => Kind::Unit,
            _ => Kind::Plain,
        };
        let ret = match kind {
            Kind::Unit => Unit,
            Kind::Res => Res,
            Kind::Opt => Opt,
            Kind::Rec => *self.rng.pick(&[I64, I64, U64, F64, Str, Pt]),
            Kind::Plain => {
                if self.rng.chance(2, 3) {
                    *self.rng.pick(&SCALARS)
                } else {
                    *self.rng.pick(&ALL)
                }
            }
        };
        let mut params = Vec::new();
        if kind == Kind::Rec {
            params.push(I64);
        }
        let nparams = if self.rng.chance(1, 4) { self.rng.range(5, 10) } else { self.rng.range(0, 3) };
        for _ in 0..nparams {
            let t = if self.rng.chance(2, 3) { *self.rng.pick(&SCALARS) } else { *self.rng.pick(&ALL) };
            params.push(t);
        }
        if kind == Kind::Rec {
            params.push(ret);
        }
        let name = format!("f{idx}");
        // Some functions are `&self` methods of a Copy type, some live in an inline module.
        let method_of =
            if kind != Kind::Rec && self.rng.chance(1, 5) { Some(*self.rng.pick(&[Pt, Rec, Sh])) } else { None };
        let module = if method_of.is_none() && self.rng.chance(1, 4) { Some(format!("m{idx}")) } else { None };
        self.cur_module = module.clone();
        let sig = FnSig {
            name: name.clone(),
            params: params.clone(),
            ret,
            kind,
            loopy: false,
            module: module.clone(),
            method_of,
        };
        self.out.clear();
        self.cur = Some(sig.clone());
        self.cur_loopy = false;
        self.scopes.clear();
        self.scopes.push(Vec::new());
        let mut ps = Vec::new();
        for (i, &p) in params.iter().enumerate() {
            let pn = format!("p{i}");
            ps.push(format!("{pn}: {}", p.rust()));
            self.scopes.last_mut().unwrap().push(Var { name: pn, ty: p, mutable: false });
        }
        if let Some(owner) = method_of {
            self.scopes.last_mut().unwrap().push(Var { name: "(*self)".to_string(), ty: owner, mutable: false });
        }
        self.indent = 1;
        let body_n = self.rng.range(1, 5) as usize;
        if kind == Kind::Rec {
            // p0 is the depth; the last parameter is the accumulator of the return type.
            let acc = format!("p{}", params.len() - 1);
            self.line(&format!("if p0 <= 0 {{ return {acc}; }}"));
            // Body without loops (it may be called in loops) and without printing much.
            let saved = std::mem::take(&mut self.fns);
            // Recursive functions only call non-loopy earlier functions.
            self.fns = saved.iter().filter(|f| !f.loopy).cloned().collect();
            self.loops.push(Loop { label: None }); // pretend: no loopy calls, no new loops
            let fake_loops = self.loops.len();
            for _ in 0..self.rng.range(0, 2) {
                self.stmt_no_control();
            }
            let next = match ret {
                I64 => format!("({acc}).wrapping_mul(3).wrapping_add({})", self.expr(I64, 2)),
                U64 => format!("({acc} ^ {}).wrapping_mul(31)", self.expr(U64, 2)),
                F64 => format!("({acc} * 0.5 + {})", self.expr(F64, 2)),
                Str => format!("cap(({acc}).concat({}))", self.expr(Str, 2)),
                Pt => format!(
                    "Pt {{ x: ({acc}).x.wrapping_add({}), y: ({acc}).y ^ {} }}",
                    self.expr(I64, 2),
                    self.expr(U8, 2)
                ),
                _ => unreachable!(),
            };
            let mut args: Vec<String> = vec!["p0 - 1".to_string()];
            for (i, &p) in params.iter().enumerate().skip(1).take(params.len() - 2) {
                let _ = i;
                args.push(self.expr(p, 1));
            }
            args.push(next);
            let self_call = format!("{name}({})", args.join(", "));
            if self.rng.chance(1, 3) && params.len() == 2 && ret == I64 {
                // Two recursive calls (tree recursion), depth is small.
                self.line(&format!("let r1: i64 = {self_call};"));
                self.line(&format!("let r2: i64 = {name}(p0 - 2, {acc}.wrapping_add(1));"));
                self.line("r1.wrapping_add(r2)");
            } else {
                self.line(&self_call);
            }
            assert_eq!(self.loops.len(), fake_loops);
            self.loops.pop();
            self.fns = saved;
        } else {
            for _ in 0..body_n {
                self.stmt(2);
            }
            let tail = match kind {
                Kind::Res => {
                    if self.rng.chance(1, 2) {
                        format!("Ok({})", self.expr(I64, 3))
                    } else {
                        self.expr(Res, 3)
                    }
                }
                Kind::Opt => {
                    if self.rng.chance(1, 2) {
                        format!("Some({})", self.expr(I64, 3))
                    } else {
                        self.expr(Opt, 3)
                    }
                }
                Kind::Unit => {
                    if self.rng.chance(1, 2) {
                        self.stmt(1);
                    }
                    String::new()
                }
                _ => self.expr(ret, 3),
            };
            if !tail.is_empty() {
                self.line(&tail);
            }
        }
        let body = std::mem::take(&mut self.out);
        let loopy = self.cur_loopy;
        self.cur = None;
        self.fns.push(FnSig { loopy, ..sig });
        self.cur_module = None;
        let attr = match self.rng.below(8) {
            0 => "#[vmkit::dont_look_inside]\n",
            1 => "#[vmkit::unroll_safe]\n",
            _ => "",
        };
        let text = format!("fn {name}({}) -> {} {{\n{body}}}\n", ps.join(", "), ret.rust());
        if let Some(owner) = method_of {
            let ps = std::iter::once("&self".to_string()).chain(ps).collect::<Vec<_>>().join(", ");
            format!("impl {} {{\n{attr}fn {name}({ps}) -> {} {{\n{body}}}\n}}\n", owner.rust(), ret.rust())
        } else if let Some(m) = module {
            format!("mod {m} {{\nuse super::*;\n\n{attr}pub {text}}}\n")
        } else {
            format!("{attr}{text}")
        }
    }

    /// A statement without control flow (used in recursive functions).
    fn stmt_no_control(&mut self) {
        match self.rng.below(3) {
            0 => {
                let ty = *self.rng.pick(&SCALARS);
                let name = self.fresh("v");
                let e = self.expr(ty, 2);
                self.line(&format!("let {name}: {} = {e};", ty.rust()));
                self.declare(&name, ty, false);
            }
            1 => self.mutate(),
            _ => {}
        }
    }

    fn entry(&mut self) -> String {
        self.out.clear();
        self.in_entry = true;
        self.cur = None;
        self.scopes.clear();
        self.scopes.push(Vec::new());
        self.indent = 1;
        self.line("let mut h: u64 = 14695981039346656037;");
        // A few containers and objects to work on.
        for ty in [List, Obj, MapII] {
            let name = self.fresh("g");
            let e = self.construct(ty, 2);
            self.line(&format!("let {name}: {} = {e};", ty.rust()));
            self.declare(&name, ty, false);
        }
        for _ in 0..self.rng.range(1, 4) {
            let ty = *self.rng.pick(&[
                ListSh, ListStr, ListObj, ListObj, Arr, ArrPt, MapSI, Obj, Tree, List, MapKI, MapIO, ArrOpt, ListTup,
                ListF, ListU8, ListOpt, ArrB, MapSSh, MapU8S,
            ]);
            let name = self.fresh("g");
            let e = self.construct(ty, 2);
            self.line(&format!("let {name}: {} = {e};", ty.rust()));
            self.declare(&name, ty, false);
        }
        for _ in 0..self.rng.range(6, 14) {
            self.stmt(2);
        }
        // Call every function at least once.
        let fs = self.fns.clone();
        for f in &fs {
            let c = self.call_of(f, 2);
            if f.ret == Unit {
                self.line(&format!("{c};"));
            } else {
                self.emit(f.ret, &c);
            }
        }
        for _ in 0..self.rng.range(0, 4) {
            self.stmt(2);
        }
        self.line("pr(Str::from(\"checksum\"), Str::from_u64(h));");
        if !self.avoid.fatal && self.rng.chance(1, 6) {
            // A deliberate fatal error: the harness accepts status 101 after this marker line.
            self.line("pr(Str::from(\"fatal\"), Str::from(\"next\"));");
            let g = "fl";
            self.line("let fl: GcList<i64> = mk_list((h % 4) as i64, 3);");
            let mut kind = self.rng.below(11);
            if (self.avoid.fatal_assert && kind == 8) || (self.avoid.fatal_unwrap && kind == 9) {
                kind = 0;
            }
            let f = match kind {
                0 => "panic!(\"deliberate\");".to_string(),
                1 => "let o: Option<i64> = None; let _ = o.unwrap();".to_string(),
                2 => "let o: Option<i64> = None; let _ = o.expect(\"deliberate expect\");".to_string(),
                3 => format!("let _ = {g}.get({g}.len() + {});", self.rng.range(0, 3)),
                4 => "let a: GcArray<u64> = GcArray::new(2, 7); let _ = a.get((h % 3) as usize + 2);".to_string(),
                5 => "let z: i64 = (h as i64) & 0; let _ = 10 / z;".to_string(),
                6 => "let s: Str = Str::from(\"abc\"); let _ = s.slice(1, s.len() + 1 + (h & 1) as usize);".to_string(),
                7 => "let s: Str = Str::from(\"abc\"); let _ = s.byte_at(3 + (h & 1) as usize);".to_string(),
                8 => "assert!(h == h.wrapping_add(1));".to_string(),
                9 => "let r: Result<i64, Fail> = Err(Fail::Big); let _ = r.unwrap();".to_string(),
                _ => format!("let _ = {g}.remove({g}.len());"),
            };
            self.line(&f);
        }
        if self.rng.chance(1, 3) {
            self.line("(h % 5) as i64");
        } else {
            self.line("0");
        }
        let body = std::mem::take(&mut self.out);
        self.in_entry = false;
        format!("#[vmkit::entry]\npub fn entry(args: GcList<Str>) -> i64 {{\n{body}}}\n")
    }
}

/// The program for `seed`, steering around the bugs in `avoid`.
pub fn generate(seed: u64, avoid: &Avoid) -> String {
    let mut g = Gen::new(seed, avoid);
    let mut text = format!("//! Generated by tests/fuzz/gen.rs from seed {seed}.\n\n");
    text.push_str(PRELUDE);
    text.push('\n');
    text.push_str(&g.constants());
    let nfns = g.rng.range(2, 6) as usize;
    for i in 0..nfns {
        text.push('\n');
        text.push_str(&g.function(i));
    }
    text.push('\n');
    text.push_str(&g.entry());
    text
}
