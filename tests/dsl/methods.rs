//! Methods: inherent `impl` blocks with associated functions (`Counter::new()`, constructors
//! calling constructors), `&self` methods on GC structs (mutating `Mut` fields) and on value
//! structs and enums, methods calling methods, chained calls, and `*self` in a `match`.

use vmkit::io::print;
use vmkit::{Gc, GcList, Mut, Str};

struct Counter {
    name: Str,
    count: Mut<i64>,
    step: i64,
}

impl Counter {
    fn new(name: Str) -> Gc<Counter> {
        Counter::with_step(name, 1)
    }

    fn with_step(name: Str, step: i64) -> Gc<Counter> {
        Gc::new(Counter { name: name, count: Mut::new(0), step: step })
    }

    fn tick(&self) {
        self.count.set(self.count.get() + self.step);
    }

    fn tick_n(&self, n: i64) -> i64 {
        let mut i: i64 = 0;
        while i < n {
            self.tick();
            i += 1;
        }
        self.value()
    }

    fn value(&self) -> i64 {
        self.count.get()
    }

    fn report(&self) {
        print(self.name);
        print(Str::from(": "));
        print(Str::from_i64(self.value()));
        print(Str::from("\n"));
    }

    /// Merges two counters into a new one (the receiver is a `Gc` auto-dereferenced to `&self`).
    fn merged(&self, other: Gc<Counter>) -> Gc<Counter> {
        let c = Counter::with_step(self.name.concat(Str::from("+")).concat(other.name), self.step + other.step);
        c.count.set(self.value() + other.value());
        c
    }
}

#[derive(Clone, Copy)]
struct Money {
    cents: i64,
}

impl Money {
    fn new(units: i64, cents: i64) -> Money {
        Money { cents: units * 100 + cents }
    }

    fn plus(&self, other: Money) -> Money {
        Money { cents: self.cents + other.cents }
    }

    fn times(&self, k: i64) -> Money {
        Money { cents: self.cents * k }
    }

    fn units(&self) -> i64 {
        self.cents / 100
    }

    fn show(&self) -> Str {
        let c = self.cents % 100;
        let pad = if c < 10 { Str::from(".0") } else { Str::from(".") };
        Str::from_i64(self.units()).concat(pad).concat(Str::from_i64(c))
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Square(i64),
    Rect(i64, i64),
    Empty,
}

impl Shape {
    fn area(&self) -> i64 {
        match *self {
            Shape::Square(s) => s * s,
            Shape::Rect(w, h) => w * h,
            Shape::Empty => 0,
        }
    }

    fn doubled(&self) -> Shape {
        match *self {
            Shape::Square(s) => Shape::Square(s * 2),
            Shape::Rect(w, h) => Shape::Rect(w * 2, h * 2),
            Shape::Empty => Shape::Empty,
        }
    }

    fn is_bigger_than(&self, other: Shape) -> bool {
        self.area() > other.area()
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let a = Counter::new(Str::from("a"));
    let b = Counter::with_step(Str::from("b"), 5);
    a.tick();
    a.tick();
    b.tick();
    a.report();
    b.report();
    print(Str::from("tick_n returns ").concat(Str::from_i64(b.tick_n(3))).concat(Str::from("\n")));
    let c = a.merged(b);
    c.report();
    c.tick();
    c.report();
    a.report();

    let price = Money::new(3, 5);
    let total = price.times(3).plus(Money::new(0, 99)).plus(price);
    print(Str::from("price ").concat(price.show()).concat(Str::from(", total ")).concat(total.show()));
    print(Str::from(", units ").concat(Str::from_i64(total.units())).concat(Str::from("\n")));

    let shapes: GcList<Shape> = GcList::new();
    shapes.push(Shape::Square(3));
    shapes.push(Shape::Rect(2, 5));
    shapes.push(Shape::Empty);
    shapes.push(Shape::Rect(4, 4).doubled());
    for i in 0..shapes.len() {
        let s = shapes.get(i);
        print(Str::from("area ").concat(Str::from_i64(s.area())));
        print(Str::from(" doubled ").concat(Str::from_i64(s.doubled().area())));
        print(if s.is_bigger_than(Shape::Rect(3, 3)) { Str::from(" > 9\n") } else { Str::from(" <= 9\n") });
    }
    0
}
