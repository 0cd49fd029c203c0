//! Recursion: naive fib, small Ackermann values, mutual recursion (even/odd), Hanoi with printed
//! moves and a counter in a GC object, gcd with negative operands, fast exponentiation reaching
//! `i64::MIN`, and a moderately deep (5000) recursion.

use vmkit::io::print;
use vmkit::{Gc, GcList, Mut, Str};

fn fib(n: i64) -> i64 {
    if n < 2 {
        n
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

fn ack(m: i64, n: i64) -> i64 {
    if m == 0 {
        n + 1
    } else if n == 0 {
        ack(m - 1, 1)
    } else {
        ack(m - 1, ack(m, n - 1))
    }
}

fn is_even(n: i64) -> bool {
    if n == 0 {
        true
    } else {
        is_odd(n - 1)
    }
}

fn is_odd(n: i64) -> bool {
    if n == 0 {
        false
    } else {
        is_even(n - 1)
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn power(base: i64, exp: i64) -> i64 {
    if exp == 0 {
        return 1;
    }
    let half = power(base, exp / 2);
    if exp % 2 == 0 {
        half * half
    } else {
        half * half * base
    }
}

fn hanoi(n: i64, from: u8, to: u8, via: u8, moves: Gc<Counter>) {
    if n == 0 {
        return;
    }
    hanoi(n - 1, from, via, to, moves);
    moves.n.set(moves.n.get() + 1);
    if n >= 2 {
        print(Str::from_byte(from));
        print(Str::from(">"));
        print(Str::from_byte(to));
        print(Str::from(" "));
    }
    hanoi(n - 1, via, to, from, moves);
}

struct Counter {
    n: Mut<i64>,
}

fn count_down(n: i64) -> i64 {
    if n == 0 {
        0
    } else {
        1 + count_down(n - 1)
    }
}

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    num(Str::from("fib(0) = "), fib(0));
    num(Str::from("fib(1) = "), fib(1));
    num(Str::from("fib(20) = "), fib(20));
    num(Str::from("ack(0, 0) = "), ack(0, 0));
    num(Str::from("ack(1, 2) = "), ack(1, 2));
    num(Str::from("ack(2, 3) = "), ack(2, 3));
    num(Str::from("ack(3, 3) = "), ack(3, 3));
    num(Str::from("is_even(10) = "), is_even(10) as i64);
    num(Str::from("is_odd(7) = "), is_odd(7) as i64);
    num(Str::from("is_even(7) = "), is_even(7) as i64);
    num(Str::from("gcd(1071, 462) = "), gcd(1071, 462));
    num(Str::from("gcd(-12, 18) = "), gcd(-12, 18));
    num(Str::from("power(3, 13) = "), power(3, 13));
    num(Str::from("power(-2, 63) = "), power(-2, 63));
    let moves = Gc::new(Counter { n: Mut::new(0) });
    print(Str::from("hanoi 3: "));
    hanoi(3, b'A', b'C', b'B', moves);
    print(Str::from("\n"));
    num(Str::from("moves = "), moves.n.get());
    moves.n.set(0);
    hanoi(1, b'A', b'C', b'B', moves);
    num(Str::from("moves for 1 = "), moves.n.get());
    num(Str::from("count_down(5000) = "), count_down(5000));
    0
}
