//! GcList: `new`, `with_capacity`, `len`, `is_empty`, `get`, `set`, `push`, `pop` (also on an
//! empty list), `insert` (front, middle, at `len`), `remove`, `truncate` (shorter and longer),
//! `clear`; lists of lists, lists of `Str`, a stack and a queue, aliasing handles.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn show(label: Str, l: GcList<i64>) {
    print(label);
    print(Str::from(" ["));
    let mut i: usize = 0;
    while i < l.len() {
        if i > 0 {
            print(Str::from(", "));
        }
        print(Str::from_i64(l.get(i)));
        i += 1;
    }
    print(Str::from("] len="));
    print(Str::from_u64(l.len() as u64));
    print(Str::from("\n"));
}

fn show_pop(v: Option<i64>) {
    print(Str::from("pop -> "));
    match v {
        Some(x) => print(Str::from_i64(x)),
        None => print(Str::from("None")),
    }
    print(Str::from("\n"));
}

fn range(a: i64, b: i64) -> GcList<i64> {
    let l: GcList<i64> = GcList::with_capacity(4);
    let mut i = a;
    while i < b {
        l.push(i);
        i += 1;
    }
    l
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let l: GcList<i64> = GcList::new();
    print(if l.is_empty() { Str::from("new list is empty\n") } else { Str::from("new list not empty\n") });
    show_pop(l.pop());
    l.push(1);
    l.push(2);
    l.push(3);
    show(Str::from("pushed"), l);
    l.insert(0, 0);
    l.insert(2, 15);
    l.insert(l.len(), 99);
    show(Str::from("inserted"), l);
    let removed = l.remove(2);
    print(Str::from("removed "));
    print(Str::from_i64(removed));
    print(Str::from("\n"));
    let first = l.remove(0);
    print(Str::from("removed front "));
    print(Str::from_i64(first));
    print(Str::from("\n"));
    show(Str::from("after removes"), l);
    l.set(0, -1);
    show(Str::from("set 0"), l);
    show_pop(l.pop());
    show(Str::from("after pop"), l);
    l.truncate(10);
    show(Str::from("truncate 10"), l);
    l.truncate(1);
    show(Str::from("truncate 1"), l);
    let alias = l;
    alias.push(7);
    show(Str::from("pushed via alias"), l);
    l.clear();
    show(Str::from("cleared"), l);
    print(if alias.is_empty() { Str::from("alias sees clear\n") } else { Str::from("alias does not see clear\n") });

    let stack = range(0, 5);
    let mut popped: i64 = 0;
    while let Some(v) = stack.pop() {
        popped = popped * 10 + v;
    }
    print(Str::from("stack order "));
    print(Str::from_i64(popped));
    print(Str::from("\n"));
    let queue = range(1, 6);
    let mut order: i64 = 0;
    while !queue.is_empty() {
        let v = queue.remove(0);
        order = order * 10 + v;
        if v == 2 {
            queue.push(9);
        }
    }
    print(Str::from("queue order "));
    print(Str::from_i64(order));
    print(Str::from("\n"));

    let rows: GcList<GcList<i64>> = GcList::new();
    let mut r: i64 = 0;
    while r < 4 {
        rows.push(range(0, r));
        r += 1;
    }
    rows.get(3).push(100);
    rows.get(0).push(-5);
    let mut k: usize = 0;
    while k < rows.len() {
        show(Str::from("row"), rows.get(k));
        k += 1;
    }
    let moved = rows.remove(1);
    rows.insert(3, moved);
    rows.get(3).push(42);
    print(Str::from("row count "));
    print(Str::from_u64(rows.len() as u64));
    print(Str::from(", last row sum "));
    let last = rows.get(rows.len() - 1);
    let mut sum: i64 = 0;
    let mut j: usize = 0;
    while j < last.len() {
        sum += last.get(j);
        j += 1;
    }
    print(Str::from_i64(sum));
    print(Str::from("\n"));

    let words: GcList<Str> = GcList::new();
    words.push(Str::from("b"));
    words.push(Str::from("d"));
    words.insert(0, Str::from("a"));
    words.insert(2, Str::from("c"));
    let mut w: usize = 0;
    while w < words.len() {
        print(words.get(w));
        w += 1;
    }
    print(Str::from("\n"));
    0
}
