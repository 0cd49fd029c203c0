//! GcArray: `new(len, init)`, `get`, `set`, `len`; arrays of integers, bools, floats,
//! `Str`, `Gc` references (all slots initially the same object), `Option<Gc<T>>` slots, arrays of
//! arrays, an empty array, in-place sorting and a sieve; handles alias one array.

use vmkit::io::print;
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Slot {
    hits: Mut<i64>,
}

fn show_ints(label: Str, a: GcArray<i64>) {
    print(label);
    print(Str::from(":"));
    let mut i: usize = 0;
    while i < a.len() {
        print(Str::from(" "));
        print(Str::from_i64(a.get(i)));
        i += 1;
    }
    print(Str::from("\n"));
}

fn insertion_sort(a: GcArray<i64>) {
    let mut i: usize = 1;
    while i < a.len() {
        let v = a.get(i);
        let mut j = i;
        while j > 0 && a.get(j - 1) > v {
            a.set(j, a.get(j - 1));
            j -= 1;
        }
        a.set(j, v);
        i += 1;
    }
}

fn primes_below(n: usize) -> GcList<i64> {
    let composite: GcArray<bool> = GcArray::new(n, false);
    let out: GcList<i64> = GcList::new();
    let mut i: usize = 2;
    while i < n {
        if !composite.get(i) {
            out.push(i as i64);
            let mut k = i * i;
            while k < n {
                composite.set(k, true);
                k += i;
            }
        }
        i += 1;
    }
    out
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let a: GcArray<i64> = GcArray::new(8, 0);
    let mut i: usize = 0;
    while i < a.len() {
        a.set(i, ((i as i64) * 37 + 11) % 17 - 8);
        i += 1;
    }
    show_ints(Str::from("filled"), a);
    let alias = a;
    insertion_sort(alias);
    show_ints(Str::from("sorted via alias"), a);

    let empty: GcArray<i64> = GcArray::new(0, 5);
    print(Str::from("empty len = "));
    print(Str::from_u64(empty.len() as u64));
    print(if empty.len() == 0 { Str::from(" (no elements)\n") } else { Str::from(" (has elements)\n") });
    show_ints(Str::from("empty"), empty);

    let primes = primes_below(50);
    print(Str::from("primes below 50:"));
    let mut p: usize = 0;
    while p < primes.len() {
        print(Str::from(" "));
        print(Str::from_i64(primes.get(p)));
        p += 1;
    }
    print(Str::from("\n"));

    let shared = Gc::new(Slot { hits: Mut::new(0) });
    let slots: GcArray<Gc<Slot>> = GcArray::new(3, shared);
    slots.get(0).hits.set(slots.get(0).hits.get() + 1);
    slots.get(2).hits.set(slots.get(2).hits.get() + 10);
    slots.set(1, Gc::new(Slot { hits: Mut::new(100) }));
    slots.get(1).hits.set(slots.get(1).hits.get() + 1);
    let hits: GcArray<i64> = GcArray::new(3, 0);
    for k in 0..3 {
        hits.set(k, slots.get(k).hits.get());
    }
    show_ints(Str::from("slot hits"), hits);
    print(Str::from("same(0,2)="));
    print(if Gc::ptr_eq(slots.get(0), slots.get(2)) { Str::from("yes") } else { Str::from("no") });
    print(Str::from(" same(0,1)="));
    print(if Gc::ptr_eq(slots.get(0), slots.get(1)) { Str::from("yes") } else { Str::from("no") });
    print(Str::from("\n"));

    let maybe: GcArray<Option<Gc<Slot>>> = GcArray::new(5, None);
    maybe.set(1, Some(shared));
    maybe.set(3, Some(slots.get(1)));
    print(Str::from("optional slots:"));
    let mut j: usize = 0;
    while j < maybe.len() {
        match maybe.get(j) {
            Some(s) => {
                print(Str::from(" "));
                print(Str::from_i64(s.hits.get()));
            }
            None => print(Str::from(" -")),
        }
        j += 1;
    }
    print(Str::from("\n"));
    maybe.set(1, None);
    print(if maybe.get(1).is_none() { Str::from("cleared slot 1\n") } else { Str::from("slot 1 still set\n") });

    let grid: GcArray<GcArray<i64>> = GcArray::new(3, GcArray::new(0, 0));
    for r in 0..3 {
        let row: GcArray<i64> = GcArray::new(4, 0);
        for c in 0..4 {
            row.set(c, (r * 10 + c) as i64);
        }
        grid.set(r, row);
    }
    grid.get(1).set(2, -1);
    show_ints(Str::from("row 0"), grid.get(0));
    show_ints(Str::from("row 1"), grid.get(1));
    show_ints(Str::from("row 2"), grid.get(2));

    let names: GcArray<Str> = GcArray::new(3, Str::from("?"));
    names.set(0, Str::from("x"));
    names.set(2, names.get(0).concat(names.get(1)));
    print(names.get(0).concat(names.get(1)).concat(names.get(2)));
    let fs: GcArray<f64> = GcArray::new(2, 0.25);
    fs.set(1, fs.get(0) * 3.0);
    print(Str::from(" "));
    print(Str::from_f64(fs.get(0) + fs.get(1)));
    let bytes: GcArray<u8> = GcArray::new(3, b'a');
    bytes.set(2, b'c');
    print(Str::from(" "));
    print(Str::from_byte(bytes.get(0)).concat(Str::from_byte(bytes.get(1))).concat(Str::from_byte(bytes.get(2))));
    print(Str::from("\n"));
    0
}
