//! Small valid DSL programs, written inline: the front end must accept each one (parse,
//! collect, type check, build and lower) and every high-level flow graph must verify.
//!
//! Each program is written to its own file in a fresh directory under the system temp dir (the
//! translator reads files, and the file stem names the crate).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use vmkit_translator::driver::front_end;
use vmkit_translator::target::TargetSpec;

/// Writes `source` to `<tmp>/vmkit-accept-<pid>-<n>/<name>.rs` and returns the path.
fn write_program(name: &str, source: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("vmkit-accept-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let path = dir.join(format!("{name}.rs"));
    std::fs::write(&path, source).expect("write program");
    path
}

/// Runs the front end on `source` and checks that it is accepted and its graphs verify.
fn accept(name: &str, source: &str) {
    let path = write_program(name, source);
    let target = TargetSpec::load("x86_64-unknown-linux-gnu").expect("x86_64 target spec");
    let result = front_end(&path, &target);
    let t = match result {
        Ok(t) => t,
        Err(e) => panic!("valid program `{name}` was rejected:\n{}", e.render()),
    };
    assert!(
        t.prog.entry.is_some(),
        "`{name}`: no entry function recorded"
    );
    let mut graphs = 0;
    for (i, g) in t.hl.iter().enumerate() {
        if let Some(g) = g {
            graphs += 1;
            if let Err(e) = g.verify() {
                panic!(
                    "`{name}`: the flow graph of `{}` does not verify: {e}",
                    t.prog.fns[i].path
                );
            }
        }
    }
    assert!(graphs > 0, "`{name}`: no flow graphs were built");
    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Value and GC structs, `Mut` fields, inherent methods and associated functions, `Gc::ptr_eq`,
/// tuple destructuring.
#[test]
fn accepts_structs() {
    accept(
        "structs",
        r#"use vmkit::{Gc, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Point {
    x: i64,
    y: i64,
}

impl Point {
    fn new(x: i64, y: i64) -> Point {
        Point { x: x, y: y }
    }
    fn dot(self, other: Point) -> i64 {
        self.x * other.x + self.y * other.y
    }
}

struct Counter {
    name: Str,
    count: Mut<i64>,
    origin: Point,
}

impl Counter {
    fn make(name: Str) -> Gc<Counter> {
        Gc::new(Counter { name: name, count: Mut::new(0), origin: Point::new(1, 2) })
    }
    fn bump(&self, by: i64) -> i64 {
        self.count.set(self.count.get() + by);
        self.count.get()
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let c = Counter::make(Str::from("c"));
    let d = c;
    c.bump(2);
    let n = d.bump(3);
    let same = Gc::ptr_eq(c, d);
    let p = c.origin;
    let (a, b) = (p.dot(Point::new(3, 4)), c.name.len() as i64);
    if same && n == 5 {
        a + b
    } else {
        1
    }
}
"#,
    );
}

/// Value and GC enums, recursive `Gc` payloads, `match` with guards, or-patterns, range and byte
/// patterns, `matches!`.
#[test]
fn accepts_enums() {
    accept(
        "enums",
        r#"use vmkit::{Gc, GcList, Str};

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Lit(i64),
}

enum Tree {
    Leaf(i64),
    Node(Gc<Tree>, Gc<Tree>),
}

fn sum(t: Gc<Tree>) -> i64 {
    match *t {
        Tree::Leaf(v) => v,
        Tree::Node(l, r) => sum(l) + sum(r),
    }
}

fn classify(op: Op) -> i64 {
    match op {
        Op::Add | Op::Sub => 1,
        Op::Mul => 2,
        Op::Lit(n) if n < 0 => 3,
        Op::Lit(0..=9) => 4,
        Op::Lit(_) => 5,
    }
}

fn byte_kind(b: u8) -> i64 {
    match b {
        b'0'..=b'9' => 0,
        b'a'..=b'z' | b'A'..=b'Z' | b'_' => 1,
        b' ' | b'\n' => 2,
        _ => 3,
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let t = Gc::new(Tree::Node(Gc::new(Tree::Leaf(1)), Gc::new(Tree::Leaf(2))));
    let k = classify(Op::Lit(-1)) + classify(Op::Add) + byte_kind(b'x');
    let is_leaf = matches!(*t, Tree::Leaf(_));
    if is_leaf {
        0
    } else {
        sum(t) + k
    }
}
"#,
    );
}

/// Labeled `for` loops with `break`/`continue` to a label, `loop` with `break value`, `while let`,
/// `while`, `..=` ranges.
#[test]
fn accepts_loops() {
    accept(
        "loops",
        r#"use vmkit::{GcList, Str};

fn find_pair(n: i64, target: i64) -> i64 {
    let mut found = -1;
    'outer: for i in 0..n {
        for j in i..=n {
            if i * j == target {
                found = i * 100 + j;
                break 'outer;
            }
            if j > target {
                continue 'outer;
            }
        }
    }
    found
}

fn first_over(limit: i64) -> i64 {
    let mut x = 1;
    let r = loop {
        x *= 2;
        if x > limit {
            break x;
        }
    };
    r
}

fn drain(xs: GcList<i64>) -> i64 {
    let mut total = 0;
    while let Some(v) = xs.pop() {
        total += v;
    }
    let mut k = 0;
    while k < 3 {
        k += 1;
    }
    total + k
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let xs: GcList<i64> = GcList::new();
    xs.push(1);
    xs.push(2);
    find_pair(10, 12) + first_over(100) + drain(xs)
}
"#,
    );
}

/// `?` on `Result` and `Option`, `Option`/`Result` methods (`unwrap_or`, `is_some`, `is_none`,
/// `expect`, `unwrap`, `is_err`), `GcMap`.
#[test]
fn accepts_errors() {
    accept(
        "errors",
        r#"use vmkit::{GcList, GcMap, Str};

fn parse_digit(b: u8) -> Result<i64, Str> {
    if b >= b'0' && b <= b'9' {
        Ok((b - b'0') as i64)
    } else {
        Err(Str::from("not a digit"))
    }
}

fn parse_two(s: Str) -> Result<i64, Str> {
    let a = parse_digit(s.byte_at(0))?;
    let b = parse_digit(s.byte_at(1))?;
    Ok(a * 10 + b)
}

fn lookup(m: GcMap<Str, i64>, k: Str) -> Option<i64> {
    let v = m.get(k)?;
    Some(v + 1)
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let m: GcMap<Str, i64> = GcMap::new();
    m.insert(Str::from("a"), 41);
    let a = lookup(m, Str::from("a")).unwrap_or(0);
    let b = lookup(m, Str::from("b"));
    let c = match parse_two(Str::from("42")) {
        Ok(v) => v,
        Err(e) => e.len() as i64,
    };
    let first: Option<i64> = if args.is_empty() { None } else { Some(args.get(0).len() as i64) };
    let d = if first.is_some() { first.unwrap() } else { 0 };
    let e = if b.is_none() { Some(2).expect("two") } else { b.unwrap() };
    let f = parse_two(Str::from("x1")).is_err();
    a + c + d + e + (f as i64)
}
"#,
    );
}

/// A JIT driver with `get_printable_location`, `jit_merge_point!`, `can_enter_jit!` and `promote`.
#[test]
fn accepts_hints() {
    accept(
        "hints",
        r#"use vmkit::jit::promote;
use vmkit::{GcArray, GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "sum",
    greens: &["pc", "code"],
    reds: &["acc"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(pc: usize, code: GcArray<i64>) -> Str {
    Str::from("pc=").concat(Str::from_u64(pc as u64)).concat(Str::from_i64(code.len() as i64))
}

fn run(code: GcArray<i64>) -> i64 {
    let mut pc: usize = 0;
    let mut acc: i64 = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, code; acc);
        if pc >= code.len() {
            return acc;
        }
        acc = acc.wrapping_add(promote(code.get(pc)));
        pc += 1;
        if pc == code.len() && acc < 100 {
            pc = 0;
            vmkit::can_enter_jit!(DRIVER; pc, code; acc);
        }
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let code: GcArray<i64> = GcArray::new(4, 3);
    run(code)
}
"#,
    );
}

/// Inline modules, `super::`, `use crate::...`, module constants and an `impl MapKey` key type.
#[test]
fn accepts_modules() {
    accept(
        "modules",
        r#"use vmkit::{GcList, GcMap, MapKey, Str};

mod geometry {
    pub const SCALE: i64 = 3;

    pub fn scale(x: i64) -> i64 {
        x * SCALE
    }

    pub mod inner {
        pub fn twice(x: i64) -> i64 {
            super::scale(x) * 2
        }
    }
}

use crate::geometry::inner::twice;

#[derive(Clone, Copy)]
struct Key {
    a: i64,
    b: i64,
}

impl MapKey for Key {
    fn key_hash(&self) -> u64 {
        (self.a * 31 + self.b) as u64
    }
    fn key_eq(&self, other: &Key) -> bool {
        self.a == other.a && self.b == other.b
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let m: GcMap<Key, i64> = GcMap::new();
    m.insert(Key { a: 1, b: 2 }, geometry::scale(2));
    let v = m.get(Key { a: 1, b: 2 }).unwrap_or(0);
    v + twice(1) + geometry::SCALE
}
"#,
    );
}

/// A constant may refer to a constant declared after it (item order does not matter in Rust).
#[test]
fn accepts_forward_reference_between_constants() {
    accept(
        "const_forward",
        r#"use vmkit::{GcList, Str};

const TOTAL: i64 = BASE * 2;
const BASE: i64 = 21;

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    TOTAL
}
"#,
    );
}
