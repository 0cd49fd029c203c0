//! GcMap: i64 keys, `Str` keys (content equality, not identity), a user key type implementing
//! `MapKey` with deliberately colliding hashes; `insert` (returning the old value), replacement
//! keeping the position, `remove` keeping the others' order, re-insertion at the end, `get`,
//! `contains_key`, `len`/`is_empty`, `clear`, and insertion-order walks with `key_at`/`value_at`.

use vmkit::io::print;
use vmkit::{GcList, GcMap, MapKey, Str};

#[derive(Clone, Copy)]
struct Point {
    x: i64,
    y: i64,
}

impl MapKey for Point {
    /// Deliberately weak: (1, 2) and (2, 1) collide, so equality must decide.
    fn key_hash(&self) -> u64 {
        (self.x + self.y) as u64
    }
    fn key_eq(&self, other: &Point) -> bool {
        self.x == other.x && self.y == other.y
    }
}

fn show_int_map(label: Str, m: GcMap<i64, i64>) {
    print(label);
    print(Str::from(" {"));
    let mut i: usize = 0;
    while i < m.len() {
        if i > 0 {
            print(Str::from(", "));
        }
        print(Str::from_i64(m.key_at(i)));
        print(Str::from(": "));
        print(Str::from_i64(m.value_at(i)));
        i += 1;
    }
    print(Str::from("}\n"));
}

fn show_opt(label: Str, v: Option<i64>) {
    print(label);
    match v {
        Some(x) => {
            print(Str::from("Some("));
            print(Str::from_i64(x));
            print(Str::from(")\n"));
        }
        None => print(Str::from("None\n")),
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let m: GcMap<i64, i64> = GcMap::new();
    print(if m.is_empty() { Str::from("empty\n") } else { Str::from("not empty\n") });
    show_opt(Str::from("insert 5 -> "), m.insert(5, 50));
    m.insert(-3, 30);
    m.insert(100, 1);
    m.insert(0, 0);
    show_int_map(Str::from("inserted"), m);
    show_opt(Str::from("replace -3 -> "), m.insert(-3, 33));
    show_int_map(Str::from("replaced"), m);
    show_opt(Str::from("remove 5 -> "), m.remove(5));
    show_opt(Str::from("remove 5 again -> "), m.remove(5));
    show_int_map(Str::from("removed"), m);
    m.insert(5, 55);
    show_int_map(Str::from("re-inserted"), m);
    show_opt(Str::from("get 100 -> "), m.get(100));
    show_opt(Str::from("get 7 -> "), m.get(7));
    print(if m.contains_key(0) { Str::from("has 0") } else { Str::from("no 0") });
    print(if m.contains_key(1) { Str::from(", has 1\n") } else { Str::from(", no 1\n") });
    print(Str::from("len "));
    print(Str::from_u64(m.len() as u64));
    print(Str::from("\n"));
    let mut k: i64 = 0;
    while k < 20 {
        m.insert(k * 7 % 20, k);
        k += 1;
    }
    show_int_map(Str::from("after 20 inserts"), m);
    m.clear();
    show_int_map(Str::from("cleared"), m);
    print(if m.is_empty() { Str::from("empty again\n") } else { Str::from("not empty\n") });

    let counts: GcMap<Str, i64> = GcMap::new();
    let text = Str::from("the cat and the hat and the bat");
    let mut start: usize = 0;
    let mut i: usize = 0;
    while i <= text.len() {
        if i == text.len() || text.byte_at(i) == b' ' {
            let word = text.slice(start, i);
            let old = counts.get(word).unwrap_or(0);
            counts.insert(word, old + 1);
            start = i + 1;
        }
        i += 1;
    }
    let mut j: usize = 0;
    while j < counts.len() {
        print(counts.key_at(j));
        print(Str::from("="));
        print(Str::from_i64(counts.value_at(j)));
        print(Str::from(" "));
        j += 1;
    }
    print(Str::from("\n"));
    let built = Str::from("th").concat(Str::from("e"));
    show_opt(Str::from("get built \"the\" -> "), counts.get(built));
    counts.remove(Str::from("cat"));
    show_opt(Str::from("get cat after remove -> "), counts.get(Str::from("cat")));
    print(counts.key_at(1));
    print(Str::from("\n"));

    let grid: GcMap<Point, Str> = GcMap::new();
    grid.insert(Point { x: 1, y: 2 }, Str::from("a"));
    grid.insert(Point { x: 2, y: 1 }, Str::from("b"));
    grid.insert(Point { x: 0, y: 3 }, Str::from("c"));
    grid.insert(Point { x: 1, y: 2 }, Str::from("A"));
    print(Str::from("points: "));
    let mut p: usize = 0;
    while p < grid.len() {
        let key = grid.key_at(p);
        print(Str::from("("));
        print(Str::from_i64(key.x));
        print(Str::from(","));
        print(Str::from_i64(key.y));
        print(Str::from(")="));
        print(grid.value_at(p));
        print(Str::from(" "));
        p += 1;
    }
    print(Str::from("\n"));
    print(grid.get(Point { x: 2, y: 1 }).unwrap_or(Str::from("?")));
    print(grid.get(Point { x: 3, y: 0 }).unwrap_or(Str::from("?")));
    grid.remove(Point { x: 2, y: 1 });
    print(grid.get(Point { x: 2, y: 1 }).unwrap_or(Str::from("?")));
    print(grid.get(Point { x: 0, y: 3 }).unwrap_or(Str::from("?")));
    print(grid.get(Point { x: 1, y: 2 }).unwrap_or(Str::from("?")));
    print(Str::from(" len "));
    print(Str::from_u64(grid.len() as u64));
    print(Str::from("\n"));
    0
}
