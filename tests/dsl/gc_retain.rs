//! GC: a growing live set (every object stays reachable from a list). The first argument is the
//! number of objects (default 2000); with a huge count and `VMKIT_GC_MAX_HEAP` the translated
//! build must stop with the out-of-memory message (tests/tests/gc.rs).
use vmkit::{Gc, GcList, Str};

pub struct Cell {
    value: i64,
    label: Str,
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let n: i64 = if args.len() > 0 { args.get(0).parse_i64().unwrap_or(2000) } else { 2000 };
    let keep: GcList<Gc<Cell>> = GcList::new();
    let mut i: i64 = 0;
    while i < n {
        keep.push(Gc::new(Cell { value: i, label: Str::from_i64(i) }));
        i += 1;
    }
    let mut total: i64 = 0;
    let mut chars: usize = 0;
    for j in 0..keep.len() {
        let c = keep.get(j);
        total += c.value;
        chars += c.label.len();
    }
    vmkit::io::print(Str::from("kept "));
    vmkit::io::print(Str::from_i64(keep.len() as i64));
    vmkit::io::print(Str::from(", total "));
    vmkit::io::print(Str::from_i64(total));
    vmkit::io::print(Str::from(", label bytes "));
    vmkit::io::print(Str::from_i64(chars as i64));
    vmkit::io::print(Str::from("\n"));
    0
}
