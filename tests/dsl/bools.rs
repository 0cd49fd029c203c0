//! Bools and short-circuit evaluation: `&&`, `||`, `!`, `==`/`!=` on bools, bools as values,
//! with side effects recorded in a `Mut` field of a GC struct so that skipped operands show.

use vmkit::io::print;
use vmkit::{Gc, GcList, Mut, Str};

struct Trace {
    calls: Mut<i64>,
    log: Mut<Str>,
}

/// Records `tag` and returns `value`.
fn side(t: Gc<Trace>, tag: Str, value: bool) -> bool {
    t.calls.set(t.calls.get() + 1);
    t.log.set(t.log.get().concat(tag));
    value
}

fn report(t: Gc<Trace>, label: Str, result: bool) {
    print(label);
    if result {
        print(Str::from(" -> true  calls="));
    } else {
        print(Str::from(" -> false calls="));
    }
    print(Str::from_i64(t.calls.get()));
    print(Str::from(" log="));
    print(t.log.get());
    print(Str::from("\n"));
    t.calls.set(0);
    t.log.set(Str::from(""));
}

fn b2s(b: bool) -> Str {
    if b {
        Str::from("true")
    } else {
        Str::from("false")
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let t = Gc::new(Trace { calls: Mut::new(0), log: Mut::new(Str::from("")) });
    let r = side(t, Str::from("a"), false) && side(t, Str::from("b"), true);
    report(t, Str::from("F && T"), r);
    let r = side(t, Str::from("a"), true) && side(t, Str::from("b"), false);
    report(t, Str::from("T && F"), r);
    let r = side(t, Str::from("a"), true) || side(t, Str::from("b"), false);
    report(t, Str::from("T || F"), r);
    let r = side(t, Str::from("a"), false) || side(t, Str::from("b"), false);
    report(t, Str::from("F || F"), r);
    let r = side(t, Str::from("a"), false) || side(t, Str::from("b"), true) && side(t, Str::from("c"), false);
    report(t, Str::from("F || T && F"), r);
    let r = (side(t, Str::from("a"), true) || side(t, Str::from("b"), true)) && side(t, Str::from("c"), true);
    report(t, Str::from("(T || T) && T"), r);
    let r = !side(t, Str::from("a"), true) && side(t, Str::from("b"), true);
    report(t, Str::from("!T && T"), r);
    let r = side(t, Str::from("a"), true) && side(t, Str::from("b"), true) && side(t, Str::from("c"), true);
    report(t, Str::from("T && T && T"), r);
    let r = side(t, Str::from("a"), false) || side(t, Str::from("b"), false) || side(t, Str::from("c"), true);
    report(t, Str::from("F || F || T"), r);

    if side(t, Str::from("x"), false) && side(t, Str::from("y"), true) {
        print(Str::from("wrong branch\n"));
    } else {
        report(t, Str::from("if F && T"), false);
    }
    let mut n: i64 = 0;
    while n < 3 && side(t, Str::from("w"), n != 2) {
        n += 1;
    }
    report(t, Str::from("while n < 3 && n != 2"), n == 2);

    let yes: bool = true;
    let no: bool = !yes;
    print(b2s(yes == no));
    print(Str::from(" "));
    print(b2s(yes != no));
    print(Str::from(" "));
    print(b2s(!no));
    print(Str::from(" "));
    print(b2s(yes == !no));
    print(Str::from(" "));
    print(b2s((3i64 > 2) == yes));
    print(Str::from(" "));
    let both: bool = yes && no;
    let either: bool = yes || no;
    print(b2s(both));
    print(Str::from(" "));
    print(b2s(either));
    print(Str::from("\n"));
    0
}
