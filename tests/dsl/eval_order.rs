//! Evaluation order and pattern subtleties: eager `unwrap_or`, struct literals evaluated in
//! source order, compound assignment evaluating its right side first, assignments in a failing
//! match guard, guards re-tried for each alternative of an or-pattern, and enum variants
//! imported with `use Enum::*` / `use Enum::Variant` used as patterns.
use vmkit::{Gc, GcList, Mut, Str};

pub struct Log {
    text: Mut<Str>,
}

fn note(log: Gc<Log>, s: Str) {
    log.text.set(log.text.get().concat(s));
}

fn tick(log: Gc<Log>, s: Str, v: i64) -> i64 {
    note(log, s);
    v
}

pub struct Pair {
    a: i64,
    b: i64,
}

#[derive(Clone, Copy)]
pub struct P2 {
    x: i64,
    y: i64,
}

#[derive(Clone, Copy)]
pub enum Color {
    Red,
    Green,
    Blue,
    Mix(i64),
}

use self::Color::*;

#[derive(Clone, Copy)]
pub enum Shape {
    Dot,
    Line(i64),
}

use self::Shape::Dot;

fn color_name(c: Color) -> Str {
    match c {
        Red => Str::from("red"),
        Green => Str::from("green"),
        Blue => Str::from("blue"),
        Mix(n) => Str::from("mix").concat(Str::from_i64(n)),
    }
}

fn shape_size(s: Shape) -> i64 {
    match s {
        Dot => 0,
        Shape::Line(n) => n,
    }
}

fn either(t: (i64, i64)) -> i64 {
    match t {
        (x, _) | (_, x) if x > 1 => x * 100,
        _ => -1,
    }
}

fn line(s: Str) {
    vmkit::io::print(s);
    vmkit::io::print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(_args: GcList<Str>) -> i64 {
    let log = Gc::new(Log { text: Mut::new(Str::from("")) });
    let some: Option<i64> = Some(7);
    let v = some.unwrap_or(tick(log, Str::from("default;"), 0));
    line(Str::from("unwrap_or: ").concat(Str::from_i64(v)).concat(Str::from(" log=")).concat(log.text.get()));

    log.text.set(Str::from(""));
    let p = Gc::new(Pair { b: tick(log, Str::from("b"), 2), a: tick(log, Str::from("a"), 1) });
    let q = P2 { y: tick(log, Str::from("y"), 4), x: tick(log, Str::from("x"), 3) };
    line(Str::from("struct order: ").concat(log.text.get()).concat(Str::from(" ")).concat(Str::from_i64(p.a * 1000 + p.b * 100 + q.x * 10 + q.y)));

    let mut x: i64 = 0;
    x += {
        x = 10;
        1
    };
    line(Str::from("compound: ").concat(Str::from_i64(x)));

    let mut tries: i64 = 0;
    let r = match 5i64 {
        n if {
            tries += 1;
            n > 10
        } =>
        {
            1
        }
        n if {
            tries += 10;
            n > 3
        } =>
        {
            2
        }
        _ => 3,
    };
    line(Str::from("guards: ").concat(Str::from_i64(r)).concat(Str::from(" tries=")).concat(Str::from_i64(tries)));

    line(Str::from("or+guard: ").concat(Str::from_i64(either((0, 5)))).concat(Str::from(" ")).concat(Str::from_i64(either((7, 0)))).concat(Str::from(" ")).concat(Str::from_i64(either((0, 1)))));

    line(color_name(Blue).concat(Str::from(" ")).concat(color_name(Green)).concat(Str::from(" ")).concat(color_name(Red)).concat(Str::from(" ")).concat(color_name(Mix(3))));
    line(Str::from("shapes: ").concat(Str::from_i64(shape_size(Dot) + shape_size(Shape::Line(9)))));
    0
}
