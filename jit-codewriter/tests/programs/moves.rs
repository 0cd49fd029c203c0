//! Stress for the codewriter's link moves and switch tables (run by `tests/blackhole.rs` through
//! jitcodes and compared with the graph interpreter): loops whose back edges permute their
//! variables (swaps, 3- and 4-cycles, a cycle plus a chain, values passed through unchanged), in
//! int, float and ref banks at once; value-enum and integer matches with sparse, negative and
//! dense keys whose arms pass permuted values to the join; multiple results returned in permuted
//! order; floats `-0.0`/`0.0` in one constant pool.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

fn flt(label: Str, v: f64) {
    print(label);
    print(Str::from_f64(v));
    print(Str::from("\n"));
}

/// Rotations and swaps on every back edge.
fn rotate(n: i64) -> i64 {
    let mut a: i64 = 1;
    let mut b: i64 = 2;
    let mut c: i64 = 3;
    let mut d: i64 = 4;
    let mut e: i64 = 5;
    let mut i: i64 = 0;
    while i < n {
        let t = a;
        a = b;
        b = c;
        c = t;
        let u = d;
        d = e;
        e = u + i;
        i += 1;
    }
    a * 10000 + b * 1000 + c * 100 + d * 10 + e
}

/// A 4-cycle and a chain through the same loop, with a float and a string riding along.
fn mixed(n: i64) -> i64 {
    let mut w: i64 = 7;
    let mut x: i64 = 11;
    let mut y: i64 = 13;
    let mut z: i64 = 17;
    let mut f: f64 = 0.5;
    let mut g: f64 = -0.0;
    let mut s = Str::from("a");
    let mut t = Str::from("b");
    let mut k: i64 = 0;
    while k < n {
        let w2 = x;
        let x2 = y;
        let y2 = z;
        let z2 = w + k;
        w = w2;
        x = x2;
        y = y2;
        z = z2;
        let h = f;
        f = g + 1.0;
        g = h;
        let r = s;
        s = t;
        t = r.concat(Str::from("."));
        k += 1;
    }
    flt(Str::from("f = "), f);
    flt(Str::from("g = "), g);
    print(s);
    print(Str::from(" "));
    print(t);
    print(Str::from("\n"));
    w * 1000000 + x * 10000 + y * 100 + z
}

/// Fibonacci pairs: `(a, b) = (b, a + b)`, nested in another loop that swaps its own pair.
fn nested(n: i64) -> i64 {
    let mut p: i64 = 0;
    let mut q: i64 = 1;
    let mut total: i64 = 0;
    let mut j: i64 = 0;
    while j < n {
        let mut a = p;
        let mut b = q;
        let mut i: i64 = 0;
        while i < j {
            let c = a + b;
            a = b;
            b = c;
            i += 1;
        }
        total = total * 3 + a - b;
        let t = p;
        p = q;
        q = t + 1;
        j += 1;
    }
    total
}

fn sparse(k: i64, a: i64, b: i64, c: i64) -> i64 {
    let (x, y, z) = match k {
        -1000000 => (c, b, a),
        -3 => (b, c, a),
        0 => (a, b, c),
        7 => (c, a, b),
        1099511627776 => (b, a, c),
        _ => (a, a, a),
    };
    x * 100 + y * 10 + z
}

fn dense(k: u8, a: i64, b: i64) -> (i64, i64) {
    match k {
        0 => (a, b),
        1 => (b, a),
        2 => (a + 1, b),
        3 => (b, a + 1),
        4 => (a, a),
        5 => (b, b),
        _ => (0, 0),
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Dot,
    Seg(i64, i64),
    Tri(i64, i64, i64),
}

fn shape(s: Shape, bias: i64) -> (i64, i64, i64) {
    match s {
        Shape::Dot => (bias, 0, 0),
        Shape::Seg(a, b) => (b, a, bias),
        Shape::Tri(a, b, c) => (c, a, b),
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    for n in 0..7 {
        num(Str::from("rotate "), rotate(n));
    }
    num(Str::from("mixed "), mixed(5));
    num(Str::from("mixed "), mixed(6));
    num(Str::from("nested "), nested(8));
    let keys: GcList<i64> = GcList::new();
    keys.push(-1000000);
    keys.push(-3);
    keys.push(0);
    keys.push(7);
    keys.push(1 << 40);
    keys.push(8);
    keys.push(-2);
    let mut i: usize = 0;
    while i < keys.len() {
        num(Str::from("sparse "), sparse(keys.get(i), 1, 2, 3));
        i += 1;
    }
    let mut acc: i64 = 0;
    for k in 0..8 {
        let (x, y) = dense(k as u8, 4, 9);
        acc = acc * 7 + x * 2 - y;
        num(Str::from("dense "), x * 100 + y);
    }
    num(Str::from("acc "), acc);
    let shapes: GcList<Shape> = GcList::new();
    shapes.push(Shape::Dot);
    shapes.push(Shape::Seg(3, 4));
    shapes.push(Shape::Tri(5, 6, 7));
    let mut j: usize = 0;
    while j < shapes.len() {
        let (a, b, c) = shape(shapes.get(j), j as i64 + 1);
        num(Str::from("shape "), a * 100 + b * 10 + c);
        j += 1;
    }
    flt(Str::from("zeros "), 0.0 + -0.0);
    flt(Str::from("neg zero "), -0.0);
    let _ = args;
    0
}
