//! GC structs: `Gc<T>` of a struct with immutable and `Mut` fields (integers, floats, `Str`,
//! `Option<Gc<_>>`), aliasing through copied handles, nested objects, and identity with
//! `Gc::ptr_eq` (structurally equal objects are still distinct).

use vmkit::io::print;
use vmkit::{Gc, GcList, Mut, Str};

struct Account {
    id: i64,
    owner: Str,
    balance: Mut<i64>,
    rate: Mut<f64>,
    parent: Mut<Option<Gc<Account>>>,
}

struct Pair {
    left: Gc<Account>,
    right: Gc<Account>,
}

fn new_account(id: i64, owner: Str) -> Gc<Account> {
    Gc::new(Account { id: id, owner: owner, balance: Mut::new(0), rate: Mut::new(0.5), parent: Mut::new(None) })
}

fn describe(a: Gc<Account>) {
    print(Str::from("#"));
    print(Str::from_i64(a.id));
    print(Str::from(" "));
    print(a.owner);
    print(Str::from(" balance="));
    print(Str::from_i64(a.balance.get()));
    print(Str::from(" rate="));
    print(Str::from_f64(a.rate.get()));
    print(Str::from(" parent="));
    match a.parent.get() {
        Some(p) => print(Str::from_i64(p.id)),
        None => print(Str::from("none")),
    }
    print(Str::from("\n"));
}

fn deposit(a: Gc<Account>, amount: i64) {
    a.balance.set(a.balance.get() + amount);
}

/// Walks `parent` links to the root.
fn root_of(a: Gc<Account>) -> Gc<Account> {
    let mut cur = a;
    while let Some(p) = cur.parent.get() {
        cur = p;
    }
    cur
}

fn yes_no(b: bool) -> Str {
    if b {
        Str::from("yes")
    } else {
        Str::from("no")
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let a = new_account(1, Str::from("ann"));
    let b = new_account(2, Str::from("bob"));
    let a2 = a;
    deposit(a, 100);
    deposit(a2, 25);
    a2.rate.set(1.25);
    describe(a);
    describe(b);

    let twin = new_account(1, Str::from("ann"));
    deposit(twin, 125);
    print(Str::from("a is a2: "));
    print(yes_no(Gc::ptr_eq(a, a2)));
    print(Str::from("\na is twin: "));
    print(yes_no(Gc::ptr_eq(a, twin)));
    print(Str::from("\nsame id and balance: "));
    print(yes_no(a.id == twin.id && a.balance.get() == twin.balance.get()));
    print(Str::from("\n"));

    b.parent.set(Some(a));
    let c = new_account(3, Str::from("cid"));
    c.parent.set(Some(b));
    describe(c);
    let r = root_of(c);
    print(Str::from("root of 3: "));
    print(Str::from_i64(r.id));
    print(Str::from(" is a: "));
    print(yes_no(Gc::ptr_eq(r, a)));
    print(Str::from("\n"));
    c.parent.set(None);
    print(Str::from("root of 3 after unlink: "));
    print(Str::from_i64(root_of(c).id));
    print(Str::from("\n"));

    let pair = Gc::new(Pair { left: a, right: a });
    deposit(pair.left, 1);
    deposit(pair.right, 2);
    print(Str::from("through pair: "));
    print(Str::from_i64(pair.left.balance.get()));
    print(Str::from(" "));
    print(yes_no(Gc::ptr_eq(pair.left, pair.right)));
    print(Str::from(" "));
    print(pair.right.owner);
    print(Str::from("\n"));
    describe(a);

    let mut total: i64 = 0;
    let mut i: i64 = 0;
    let counter = new_account(9, Str::from("loop"));
    while i < 10 {
        deposit(counter, i);
        total += counter.balance.get();
        i += 1;
    }
    print(Str::from("running totals: "));
    print(Str::from_i64(total));
    print(Str::from(" final: "));
    print(Str::from_i64(counter.balance.get()));
    print(Str::from("\n"));
    0
}
