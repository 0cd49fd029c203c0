//! Struct literal fields are evaluated in the order they are written, not in declaration order
//! (Rust reference, "Struct expressions"). Both a value struct and a GC struct.
use vmkit::io::print;
use vmkit::{Gc, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Pt {
    x: i64,
    y: i64,
}

struct Obj {
    id: i64,
    val: Mut<i64>,
}

fn tick(tag: i64) -> i64 {
    print(Str::from("["));
    print(Str::from_i64(tag));
    print(Str::from("]"));
    tag
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let p = Pt { y: tick(1), x: tick(2) };
    print(Str::from(" p.x="));
    print(Str::from_i64(p.x));
    print(Str::from("\n"));
    let o = Gc::new(Obj { val: Mut::new(tick(3)), id: tick(4) });
    print(Str::from(" o.id="));
    print(Str::from_i64(o.id));
    print(Str::from("\n"));
    0
}
