//! GC: many short-lived objects and a small live set. The first argument is the number of
//! iterations (default 100000); the translated build is also run with 10^8 (tests/tests/gc.rs).
use vmkit::{Gc, GcArray, GcList, Str};

pub struct Node {
    value: i64,
    next: Option<Gc<Node>>,
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let n: i64 = if args.len() > 0 { args.get(0).parse_i64().unwrap_or(100000) } else { 100000 };
    let ring: GcArray<Option<Gc<Node>>> = GcArray::new(16, None);
    let mut sum: i64 = 0;
    let mut i: i64 = 0;
    while i < n {
        let slot = (i % 16) as usize;
        let node = Gc::new(Node { value: i, next: ring.get(slot) });
        let tmp = Gc::new(Node { value: i * 2, next: None });
        sum = sum.wrapping_add(node.value + tmp.value);
        if let Some(p) = node.next {
            sum = sum.wrapping_add(p.value);
        }
        ring.set(slot, Some(Gc::new(Node { value: i, next: None })));
        i += 1;
    }
    vmkit::io::print(Str::from("iterations "));
    vmkit::io::print(Str::from_i64(n));
    vmkit::io::print(Str::from("\nchecksum "));
    vmkit::io::print(Str::from_i64(sum));
    vmkit::io::print(Str::from("\n"));
    0
}
