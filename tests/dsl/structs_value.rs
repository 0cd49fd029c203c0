//! Value structs (`#[derive(Clone, Copy)]`): built, passed and returned by value, nested, with
//! `&self` methods, stored in `GcList`/`GcArray`/`Mut` fields (copies, not references), and
//! rebinding of `let mut` locals holding them.

use vmkit::io::print;
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Vec2 {
    x: i64,
    y: i64,
}

#[derive(Clone, Copy)]
struct Segment {
    from: Vec2,
    to: Vec2,
    label: Str,
    weight: f64,
}

struct Holder {
    pos: Mut<Vec2>,
}

fn add(a: Vec2, b: Vec2) -> Vec2 {
    Vec2 { x: a.x + b.x, y: a.y + b.y }
}

fn scale(v: Vec2, k: i64) -> Vec2 {
    Vec2 { x: v.x * k, y: v.y * k }
}

impl Vec2 {
    fn dot(&self, other: Vec2) -> i64 {
        self.x * other.x + self.y * other.y
    }
}

fn show(label: Str, v: Vec2) {
    print(label);
    print(Str::from("("));
    print(Str::from_i64(v.x));
    print(Str::from(", "));
    print(Str::from_i64(v.y));
    print(Str::from(")\n"));
}

fn manhattan(s: Segment) -> i64 {
    (s.to.x - s.from.x).abs() + (s.to.y - s.from.y).abs()
}

/// Returns the segment reversed; the argument is a copy, so the caller's is untouched.
fn reversed(s: Segment) -> Segment {
    Segment { from: s.to, to: s.from, label: s.label.concat(Str::from("'")), weight: -s.weight }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let a = Vec2 { x: 3, y: -4 };
    let b = Vec2 { x: 10, y: 20 };
    show(Str::from("a = "), a);
    show(Str::from("a + b = "), add(a, b));
    show(Str::from("3a = "), scale(a, 3));
    print(Str::from("a.b = "));
    print(Str::from_i64(a.dot(b)));
    print(Str::from("\n"));

    let mut p = a;
    p = add(p, Vec2 { x: 1, y: 1 });
    show(Str::from("p = "), p);
    show(Str::from("a unchanged = "), a);

    let s = Segment { from: a, to: b, label: Str::from("ab"), weight: 1.5 };
    let r = reversed(s);
    print(s.label);
    print(Str::from(" "));
    print(Str::from_i64(manhattan(s)));
    print(Str::from(" "));
    print(Str::from_f64(s.weight));
    print(Str::from(" / "));
    print(r.label);
    print(Str::from(" "));
    print(Str::from_i64(manhattan(r)));
    print(Str::from(" "));
    print(Str::from_f64(r.weight));
    print(Str::from("\n"));
    show(Str::from("r.from = "), r.from);

    let list: GcList<Vec2> = GcList::new();
    let mut i: i64 = 0;
    while i < 4 {
        list.push(Vec2 { x: i, y: i * i });
        i += 1;
    }
    let mut got = list.get(2);
    got = scale(got, 100);
    show(Str::from("scaled copy = "), got);
    show(Str::from("list[2] = "), list.get(2));
    list.set(1, got);
    let mut sum = Vec2 { x: 0, y: 0 };
    let mut j: usize = 0;
    while j < list.len() {
        sum = add(sum, list.get(j));
        j += 1;
    }
    show(Str::from("sum = "), sum);

    let arr: GcArray<Segment> = GcArray::new(3, s);
    arr.set(1, r);
    print(arr.get(0).label);
    print(arr.get(1).label);
    print(arr.get(2).label);
    print(Str::from("\n"));

    let h = Gc::new(Holder { pos: Mut::new(a) });
    let before = h.pos.get();
    h.pos.set(add(h.pos.get(), b));
    show(Str::from("before = "), before);
    show(Str::from("holder = "), h.pos.get());
    print(Str::from("holder.pos.x = "));
    print(Str::from_i64(h.pos.get().x));
    print(Str::from("\n"));
    0
}
