//! Enums whose variants share payload slots (see `translator/src/layout.rs`): value enums and GC
//! enums with variants of mixed scalar types in different orders, nested enums, `Option`
//! payloads, enums inside structs, arrays and lists, rebuilt as other variants in place, under
//! enough allocation to collect many times. Any slot read through the wrong variant, or a
//! reference slot left holding a stale value, shows up as a wrong line or a GC crash.

use vmkit::io;
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
enum Val {
    Nothing,
    Flag(bool),
    Small(i64),
    Real(f64),
    Text(Str),
    Pair(i64, Str),
    Swapped(Str, i64),
    Node(Gc<Cell>),
    Mixed(f64, bool, i64, Str, Option<Gc<Cell>>),
}

struct Cell {
    label: Str,
    value: Mut<Val>,
}

#[derive(Clone, Copy)]
enum Outer {
    Empty,
    One(Val),
    Two(Val, Val),
    Tagged(i64, Val, Str),
}

enum Tree {
    Leaf(i64),
    Named(Str, Gc<Tree>),
    Branch(Gc<Tree>, i64, Gc<Tree>),
    Weight(f64, Str),
}

fn print(s: Str) {
    io::print(s.concat(Str::from("\n")));
}

fn show(v: Val) -> Str {
    match v {
        Val::Nothing => Str::from("nothing"),
        Val::Flag(b) => if b { Str::from("flag(true)") } else { Str::from("flag(false)") },
        Val::Small(n) => Str::from("small(").concat(Str::from_i64(n)).concat(Str::from(")")),
        Val::Real(x) => Str::from("real(").concat(Str::from_f64(x)).concat(Str::from(")")),
        Val::Text(s) => Str::from("text(").concat(s).concat(Str::from(")")),
        Val::Pair(n, s) => Str::from("pair(")
            .concat(Str::from_i64(n))
            .concat(Str::from(", "))
            .concat(s)
            .concat(Str::from(")")),
        Val::Swapped(s, n) => Str::from("swapped(")
            .concat(s)
            .concat(Str::from(", "))
            .concat(Str::from_i64(n))
            .concat(Str::from(")")),
        Val::Node(c) => Str::from("node(").concat(c.label).concat(Str::from(")")),
        Val::Mixed(x, b, n, s, c) => {
            let head = Str::from("mixed(")
                .concat(Str::from_f64(x))
                .concat(if b { Str::from(", true, ") } else { Str::from(", false, ") })
                .concat(Str::from_i64(n))
                .concat(Str::from(", "))
                .concat(s);
            match c {
                Some(c) => head.concat(Str::from(", ")).concat(c.label).concat(Str::from(")")),
                None => head.concat(Str::from(", none)")),
            }
        }
    }
}

fn show_outer(o: Outer) -> Str {
    match o {
        Outer::Empty => Str::from("empty"),
        Outer::One(v) => Str::from("one[").concat(show(v)).concat(Str::from("]")),
        Outer::Two(a, b) => Str::from("two[")
            .concat(show(a))
            .concat(Str::from(" / "))
            .concat(show(b))
            .concat(Str::from("]")),
        Outer::Tagged(n, v, s) => Str::from("tagged[")
            .concat(Str::from_i64(n))
            .concat(Str::from(" "))
            .concat(show(v))
            .concat(Str::from(" "))
            .concat(s)
            .concat(Str::from("]")),
    }
}

fn make(i: i64) -> Val {
    let s = Str::from("s").concat(Str::from_i64(i));
    match i % 9 {
        0 => Val::Nothing,
        1 => Val::Flag(i % 2 == 0),
        2 => Val::Small(i * 3),
        3 => Val::Real(i as f64 / 4.0),
        4 => Val::Text(s),
        5 => Val::Pair(i, s),
        6 => Val::Swapped(s, -i),
        7 => Val::Node(Gc::new(Cell { label: s, value: Mut::new(Val::Small(i)) })),
        _ => Val::Mixed(
            i as f64 + 0.5,
            i % 3 == 0,
            i * i,
            s,
            if i % 2 == 0 { None } else { Some(Gc::new(Cell { label: Str::from("inner"), value: Mut::new(Val::Nothing) })) },
        ),
    }
}

fn checksum(v: Val) -> i64 {
    match v {
        Val::Nothing => 1,
        Val::Flag(b) => if b { 2 } else { 3 },
        Val::Small(n) => n,
        Val::Real(x) => (x * 4.0) as i64,
        Val::Text(s) => s.len() as i64,
        Val::Pair(n, s) => n + s.len() as i64,
        Val::Swapped(s, n) => s.len() as i64 - n,
        Val::Node(c) => c.label.len() as i64 + checksum(c.value.get()),
        Val::Mixed(x, b, n, s, c) => {
            let k = match c {
                Some(c) => c.label.len() as i64,
                None => 0,
            };
            x as i64 + if b { 1 } else { 0 } + n + s.len() as i64 + k
        }
    }
}

fn build(depth: i64, i: i64) -> Gc<Tree> {
    if depth == 0 {
        return Gc::new(Tree::Leaf(i));
    }
    match i % 3 {
        0 => Gc::new(Tree::Named(Str::from("n").concat(Str::from_i64(i)), build(depth - 1, i + 1))),
        1 => Gc::new(Tree::Branch(build(depth - 1, i + 1), i, build(depth - 1, i + 2))),
        _ => Gc::new(Tree::Weight(i as f64 * 1.5, Str::from("w"))),
    }
}

fn sum(t: Gc<Tree>) -> f64 {
    match *t {
        Tree::Leaf(n) => n as f64,
        Tree::Named(s, sub) => s.len() as f64 + sum(sub),
        Tree::Branch(l, n, r) => sum(l) + n as f64 + sum(r),
        Tree::Weight(w, s) => w + s.len() as f64,
    }
}

#[vmkit::entry]
pub fn entry(_args: GcList<Str>) -> i64 {
    let mut i = 0;
    while i < 9 {
        print(show(make(i)));
        i += 1;
    }
    print(show_outer(Outer::Empty));
    print(show_outer(Outer::One(make(5))));
    print(show_outer(Outer::Two(make(8), make(3))));
    print(show_outer(Outer::Tagged(7, make(6), Str::from("end"))));

    // Arrays and lists of enums, overwritten with other variants many times.
    let arr: GcArray<Val> = GcArray::new(50, Val::Nothing);
    let outs: GcList<Outer> = GcList::new();
    let cells: GcList<Gc<Cell>> = GcList::new();
    let mut total: i64 = 0;
    let mut round = 0;
    while round < 400 {
        let mut k = 0;
        while k < 50 {
            let v = make(round * 7 + k);
            arr.set(k as usize, v);
            if k % 10 == round % 10 {
                outs.push(if k % 2 == 0 { Outer::One(v) } else { Outer::Tagged(k, v, Str::from("t")) });
            }
            k += 1;
        }
        let c = Gc::new(Cell { label: Str::from("c"), value: Mut::new(arr.get((round % 50) as usize)) });
        c.value.set(make(round + 4));
        cells.push(c);
        let mut k = 0;
        while k < 50 {
            total += checksum(arr.get(k as usize));
            k += 1;
        }
        let t = build(6, round);
        total += sum(t) as i64;
        round += 1;
    }
    print(Str::from("total ").concat(Str::from_i64(total)));
    let mut j = 0;
    let mut acc: i64 = 0;
    while j < outs.len() {
        match outs.get(j) {
            Outer::One(v) => acc += checksum(v),
            Outer::Tagged(n, v, s) => acc += n * checksum(v) + s.len() as i64,
            _ => acc -= 1,
        }
        j += 1;
    }
    print(Str::from("outers ").concat(Str::from_i64(outs.len() as i64)).concat(Str::from(" ")).concat(Str::from_i64(acc)));
    let mut j = 0;
    let mut acc2: i64 = 0;
    while j < cells.len() {
        acc2 += checksum(cells.get(j).value.get());
        j += 1;
    }
    print(Str::from("cells ").concat(Str::from_i64(acc2)));
    print(show(cells.get(17).value.get()));
    print(show_outer(outs.get(123)));
    0
}
