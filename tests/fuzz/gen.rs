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
const ALL: [T; 22] =
    [I64, U64, U8, Usize, F64, Bool, Str, Pt, Seg, Sh, Tup, Opt, Res, Obj, List, ListSh, ListStr, Arr, ArrPt, MapII, MapSI, Tree];

impl T {
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
}

#[derive(Clone)]
struct FnSig {
    name: String,
    params: Vec<T>,
    ret: T,
    kind: Kind,
    /// Contains loops (directly or through callees): never called from inside a loop.
    loopy: bool,
}

struct Loop {
    label: Option<String>,
}

pub struct Gen {
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
}

const PRELUDE: &str = r#"use vmkit::io::print;
use vmkit::{Gc, GcArray, GcList, GcMap, Mut, Str, StrBuilder};

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
    Str::from("Obj#").concat(Str::from_i64(o.id)).concat(Str::from("{")).concat(Str::from_i64(o.val.get())).concat(Str::from(",")).concat(quote(o.name.get())).concat(Str::from(",")).concat(nx).concat(Str::from("}"))
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

fn mk_obj(id: i64, v: i64, name: Str) -> Gc<Obj> {
    Gc::new(Obj { id: id, val: Mut::new(v), name: Mut::new(name), next: Mut::new(None) })
}
"#;

const STR_LITS: [&str; 10] = ["", "a", "ab", "abc", "hello", "x-y-z", "0123456789", "caf\u{e9}", "  ", "-42"];

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
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

    fn vars_of(&self, ty: T) -> Vec<Var> {
        self.scopes.iter().flatten().filter(|v| v.ty == ty).cloned().collect()
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
                    1 => return self.rng.pick(&["i64::MAX", "i64::MIN", "(i64::MIN + 1)", "(i64::MAX - 1)"]).to_string(),
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
                0 => self.rng.pick(&["f64::NAN", "f64::INFINITY", "(-f64::INFINITY)", "(-0.0f64)", "1e300f64", "1e-300f64", "9007199254740993.0f64", "(-9.3e18f64)", "1.8e19f64", "255.5f64"]).to_string(),
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
            Pt => format!("Pt {{ x: {}, y: {} }}", self.expr(I64, d), self.expr(U8, d)),
            Seg => format!("Seg {{ a: {}, b: {}, w: {} }}", self.expr(Pt, d), self.expr(Pt, d), self.expr(F64, d)),
            Sh => match self.rng.below(4) {
                0 => "Sh::Dot".to_string(),
                1 => format!("Sh::Circle({})", self.expr(I64, d)),
                2 => format!("Sh::Rect({}, {})", self.expr(U8, d), self.expr(U8, d)),
                _ => format!("Sh::Tagged({}, {})", self.expr(Pt, d), self.expr(Bool, d)),
            },
            Tup => format!("({}, {})", self.expr(I64, d), self.expr(U8, d)),
            Opt => match self.rng.below(3) {
                0 => "None".to_string(),
                _ => format!("Some({})", self.expr(I64, d)),
            },
            Res => match self.rng.below(5) {
                0 => format!("Ok({})", self.expr(I64, d)),
                1 => "Err(Fail::Big)".to_string(),
                2 => format!("Err(Fail::Neg({}))", self.expr(I64, d)),
                3 => format!("Err(Fail::Odd({}))", self.expr(U8, d)),
                _ => format!("chk({})", self.expr(I64, d)),
            },
            Obj => {
                let id = self.rng.range(1, 99);
                format!("mk_obj({id}, {}, {})", self.expr(I64, d), self.expr(Str, d))
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

    fn call(&mut self, ty: T, d: u32) -> Option<String> {
        let fs = self.callable(ty);
        if fs.is_empty() {
            return None;
        }
        let f = self.rng.pick(&fs).clone();
        Some(self.call_of(&f, d))
    }

    fn call_of(&mut self, f: &FnSig, d: u32) -> String {
        let mut args = Vec::new();
        for (i, &p) in f.params.iter().enumerate() {
            if f.kind == Kind::Rec && i == 0 {
                args.push(format!("{}i64", self.rng.range(-1, 5)));
            } else {
                args.push(self.expr(p, d.saturating_sub(1).min(2)));
            }
        }
        format!("{}({})", f.name, args.join(", "))
    }

    /// A `usize` index expression guaranteed `< n` where `n` is a non-zero `usize` expression
    /// (a name or a call without side effects).
    fn index_below(&mut self, n: &str, d: u32) -> String {
        let e = self.expr(*self.rng.pick(&INTS), d.min(1));
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
                format!("({}).{m}({}).unwrap_or({})", self.expr(ty, d1), self.expr(ty, d1), self.expr(ty, d1))
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
            let guard = if self.rng.chance(1, 4) { format!(" if {}", self.expr(Bool, d.min(1))) } else { String::new() };
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
            5 => format!("({}).unwrap_or({})", self.expr(Opt, d), self.expr(I64, d)),
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
                    1 => format!("({o}).val.get()"),
                    2 => format!("({o}).bump({})", self.expr(I64, d)),
                    _ => format!("(match ({o}).next.get() {{ Some(nx) => nx.val.get(), None => -7 }})"),
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
                format!("({m}).get({} & 7).unwrap_or({})", self.expr(I64, d), self.expr(I64, d))
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
            _ => format!("({s}).parse_f64().unwrap_or(0.5) as i64"),
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
        self.scopes.push(vec![Var { name: acc.clone(), ty, mutable: false }, Var { name: i.clone(), ty: I64, mutable: false }]);
        self.loops.push(Loop { label: None });
        let step = self.expr(ty, d.min(2));
        self.loops.pop();
        self.scopes.pop();
        self.cur_loopy = true;
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
                format!("({}).{m}({})", self.expr(F64, d1), self.expr(F64, d1))
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
            11 => format!("(if {} {{ {} }} else {{ {} }})", self.expr(Bool, d1), self.expr(F64, d1), self.expr(F64, d1)),
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
            10 => format!("(if {} {{ {} }} else {{ {} }})", self.expr(Bool, d1), self.expr(Str, d1), self.expr(Str, d1)),
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
                        2 => format!("({}).insert({} & 7, {})", self.expr(MapII, d1), self.expr(I64, d1), self.expr(I64, d1)),
                        _ => format!("({}).remove({} & 7)", self.expr(MapII, d1), self.expr(I64, d1)),
                    }
                }
            }
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
        match self.rng.below(26) {
            0..=3 => {
                let ty = if self.rng.chance(2, 3) { *self.rng.pick(&SCALARS) } else { *self.rng.pick(&ALL) };
                let name = self.fresh("v");
                let mutable = ty.is_int() || matches!(ty, F64 | Bool | Str | Pt | Sh | Tup | Opt) && self.rng.chance(1, 2);
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
                self.block(self.rng.range(1, 3) as usize, d - 1);
                if self.rng.chance(1, 2) {
                    self.line("} else {");
                    self.block(self.rng.range(1, 3) as usize, d - 1);
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
                    self.block(self.rng.range(1, 2) as usize, d - 1);
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
                    self.block(self.rng.range(1, 3) as usize, d - 1);
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
                    self.line(&format!("let _ = {c};"));
                }
            }
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

    fn assign(&mut self) {
        let vs: Vec<Var> = self.scopes.iter().flatten().filter(|v| v.mutable).cloned().collect();
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
            .scopes
            .iter()
            .flatten()
            .filter(|v| matches!(v.ty, Obj | List | ListSh | ListStr | Arr | ArrPt | MapII | MapSI))
            .cloned()
            .collect();
        if choices.is_empty() {
            self.assign();
            return;
        }
        let v = self.rng.pick(&choices).clone();
        let n = v.name.clone();
        match v.ty {
            Obj => match self.rng.below(4) {
                0 => {
                    let e = self.expr(I64, 2);
                    self.line(&format!("{n}.val.set({e});"));
                }
                1 => {
                    let e = self.expr(Str, 2);
                    self.line(&format!("{n}.name.set(cap({e}));"));
                }
                2 => {
                    let e = if self.rng.chance(1, 3) { "None".to_string() } else { format!("Some({})", self.expr(Obj, 1)) };
                    self.line(&format!("{n}.next.set({e});"));
                }
                _ => {
                    let e = self.expr(I64, 2);
                    self.line(&format!("let _ = {n}.bump({e});"));
                }
            },
            List | ListSh | ListStr => {
                let et = match v.ty {
                    List => I64,
                    ListSh => Sh,
                    _ => Str,
                };
                match self.rng.below(8) {
                    0 | 1 => {
                        let e = self.expr(et, 2);
                        self.line(&format!("{n}.push({e});"));
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
            Arr | ArrPt => {
                let et = if v.ty == Arr { U64 } else { Pt };
                let e = self.expr(et, 2);
                let idx = self.index_below(&format!("{n}.len()"), 1);
                self.line(&format!("if {n}.len() > 0 {{ {n}.set({idx}, {e}); }}"));
            }
            MapII => match self.rng.below(4) {
                0 | 1 => {
                    let k = self.expr(I64, 1);
                    let e = self.expr(I64, 2);
                    self.line(&format!("let _ = {n}.insert({k} & 7, {e});"));
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
                    1 if ty == I64 => (format!("({}i64)", self.rng.range(-4, 0)), format!("{}i64", self.rng.range(-2, 3)), self.rng.chance(1, 2)),
                    2 => {
                        let e = self.expr(ty, 1);
                        (format!("0{t}"), format!("(({e}) & 3)"), self.rng.chance(1, 2))
                    }
                    _ => (format!("{}{t}", self.rng.range(0, 2)), format!("{}{t}", self.rng.range(0, 5)), self.rng.chance(1, 3)),
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
    // Functions
    // -----------------------------------------------------------------------------------------

    fn function(&mut self, idx: usize) -> String {
        let kind = match self.rng.below(6) {
            0 => Kind::Res,
            1 => Kind::Opt,
            2 => Kind::Rec,
            _ => Kind::Plain,
        };
        let ret = match kind {
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
        for _ in 0..self.rng.range(0, 3) {
            let t = if self.rng.chance(2, 3) { *self.rng.pick(&SCALARS) } else { *self.rng.pick(&ALL) };
            params.push(t);
        }
        if kind == Kind::Rec {
            params.push(ret);
        }
        let name = format!("f{idx}");
        let sig = FnSig { name: name.clone(), params: params.clone(), ret, kind, loopy: false };
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
                Pt => format!("Pt {{ x: ({acc}).x.wrapping_add({}), y: ({acc}).y ^ {} }}", self.expr(I64, 2), self.expr(U8, 2)),
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
                _ => self.expr(ret, 3),
            };
            self.line(&tail);
        }
        let body = std::mem::take(&mut self.out);
        let loopy = self.cur_loopy;
        self.cur = None;
        self.fns.push(FnSig { loopy, ..sig });
        format!("fn {name}({}) -> {} {{\n{body}}}\n", ps.join(", "), ret.rust())
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
            let ty = *self.rng.pick(&[ListSh, ListStr, Arr, ArrPt, MapSI, Obj, Tree, List]);
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
            self.emit(f.ret, &c);
        }
        for _ in 0..self.rng.range(0, 4) {
            self.stmt(2);
        }
        self.line("pr(Str::from(\"checksum\"), Str::from_u64(h));");
        self.line("0");
        let body = std::mem::take(&mut self.out);
        self.in_entry = false;
        format!("#[vmkit::entry]\npub fn entry(args: GcList<Str>) -> i64 {{\n{body}}}\n")
    }
}

/// The program for `seed`.
pub fn generate(seed: u64) -> String {
    let mut g = Gen::new(seed);
    let mut text = format!("//! Generated by tests/fuzz/gen.rs from seed {seed}.\n\n");
    text.push_str(PRELUDE);
    let nfns = g.rng.range(2, 6) as usize;
    for i in 0..nfns {
        text.push('\n');
        text.push_str(&g.function(i));
    }
    text.push('\n');
    text.push_str(&g.entry());
    text
}
