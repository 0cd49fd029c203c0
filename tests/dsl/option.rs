//! Option: a nullable `Option<Gc<Node>>` linked list (build, walk with `while let`, reverse,
//! find), `if let`, `match` on `Some`/`None`, `unwrap`, `unwrap_or`, `expect`, `is_some`/`is_none`,
//! and `?` on `Option` through nested calls.

use vmkit::io::print;
use vmkit::{Gc, GcList, Mut, Str};

struct Node {
    value: i64,
    next: Mut<Option<Gc<Node>>>,
}

fn cons(value: i64, next: Option<Gc<Node>>) -> Option<Gc<Node>> {
    Some(Gc::new(Node { value: value, next: Mut::new(next) }))
}

fn show_list(label: Str, list: Option<Gc<Node>>) {
    print(label);
    print(Str::from(":"));
    let mut cur = list;
    while let Some(n) = cur {
        print(Str::from(" "));
        print(Str::from_i64(n.value));
        cur = n.next.get();
    }
    print(Str::from("\n"));
}

/// In-place reversal by relinking `next` fields.
fn reverse(list: Option<Gc<Node>>) -> Option<Gc<Node>> {
    let mut prev: Option<Gc<Node>> = None;
    let mut cur = list;
    while let Some(n) = cur {
        cur = n.next.get();
        n.next.set(prev);
        prev = Some(n);
    }
    prev
}

fn find(list: Option<Gc<Node>>, value: i64) -> Option<Gc<Node>> {
    let mut cur = list;
    loop {
        match cur {
            None => return None,
            Some(n) if n.value == value => return Some(n),
            Some(n) => cur = n.next.get(),
        }
    }
}

/// The value two nodes after the first node holding `value`, via `?`.
fn second_after(list: Option<Gc<Node>>, value: i64) -> Option<i64> {
    let start = find(list, value)?;
    let one = start.next.get()?;
    let two = one.next.get()?;
    Some(two.value)
}

fn half(n: i64) -> Option<i64> {
    if n % 2 == 0 {
        Some(n / 2)
    } else {
        None
    }
}

/// Halves three times through `?`: `None` as soon as an odd number appears.
fn eighth(n: i64) -> Option<i64> {
    let a = half(n)?;
    let b = half(a)?;
    half(b)
}

fn show_opt(label: Str, v: Option<i64>) {
    print(label);
    if let Some(x) = v {
        print(Str::from(" = Some("));
        print(Str::from_i64(x));
        print(Str::from(")\n"));
    } else {
        print(Str::from(" = None\n"));
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let mut list: Option<Gc<Node>> = None;
    let mut i: i64 = 5;
    while i >= 1 {
        list = cons(i * 10, list);
        i -= 1;
    }
    show_list(Str::from("list"), list);
    show_opt(Str::from("second_after 20"), second_after(list, 20));
    show_opt(Str::from("second_after 40"), second_after(list, 40));
    show_opt(Str::from("second_after 50"), second_after(list, 50));
    show_opt(Str::from("second_after 99"), second_after(list, 99));
    let found = find(list, 30);
    print(Str::from("find 30 is_some: "));
    print(if found.is_some() { Str::from("true") } else { Str::from("false") });
    print(Str::from(", find 31 is_none: "));
    print(if find(list, 31).is_none() { Str::from("true") } else { Str::from("false") });
    print(Str::from("\n"));
    print(Str::from("found value via unwrap: "));
    print(Str::from_i64(found.unwrap().value));
    print(Str::from(", via expect: "));
    print(Str::from_i64(find(list, 50).expect("50 is in the list").value));
    print(Str::from("\n"));

    list = reverse(list);
    show_list(Str::from("reversed"), list);
    show_list(Str::from("from 30 on"), found);
    show_list(Str::from("empty"), None);
    show_list(Str::from("reversed empty"), reverse(None));

    show_opt(Str::from("eighth 40"), eighth(40));
    show_opt(Str::from("eighth 12"), eighth(12));
    show_opt(Str::from("eighth 7"), eighth(7));
    show_opt(Str::from("eighth 0"), eighth(0));
    show_opt(Str::from("eighth 12 unwrap_or -1"), Some(eighth(12).unwrap_or(-1)));
    show_opt(Str::from("eighth 64 unwrap_or -1"), Some(eighth(64).unwrap_or(-1)));

    let maybe_name: Option<Str> = Some(Str::from("vmkit "));
    let nothing: Option<Str> = None;
    print(maybe_name.unwrap_or(Str::from("? ")).concat(nothing.unwrap_or(Str::from("?\n"))));
    let nested: Option<Option<i64>> = Some(None);
    match nested {
        Some(Some(v)) => show_opt(Str::from("nested inner"), Some(v)),
        Some(None) => print(Str::from("nested: Some(None)\n")),
        None => print(Str::from("nested: None\n")),
    }
    let mut count: i64 = 0;
    let mut cur = list;
    while let Some(n) = cur {
        if let Some(nx) = n.next.get() {
            if nx.value < n.value {
                count += 1;
            }
        }
        cur = n.next.get();
    }
    show_opt(Str::from("descending steps"), Some(count));
    0
}
