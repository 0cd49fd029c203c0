//! Value enums (`#[derive(Clone, Copy)]`) with payloads: construction, passing and returning by
//! value, storage in lists, and `match` with or-patterns, guards, integer ranges, byte-literal
//! ranges, nested enum patterns and wildcards.

use vmkit::io::print;
use vmkit::{GcList, Str};

#[derive(Clone, Copy)]
enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
}

#[derive(Clone, Copy)]
enum Token {
    Num(i64),
    Op(u8),
    Lit(Value),
    Pair(Value, Value),
    Open,
    Close,
}

fn classify(t: Token) -> Str {
    match t {
        Token::Num(0) => Str::from("zero"),
        Token::Num(1..=9) => Str::from("digit"),
        Token::Num(n) if n < 0 => Str::from("negative"),
        Token::Num(10 | 100 | 1000) => Str::from("power of ten"),
        Token::Num(_) => Str::from("number"),
        Token::Op(b'+' | b'-') => Str::from("additive"),
        Token::Op(b'*') | Token::Op(b'/') => Str::from("multiplicative"),
        Token::Op(b'a'..=b'z') => Str::from("named op"),
        Token::Op(_) => Str::from("other op"),
        Token::Lit(Value::Int(n)) if n % 2 == 0 => Str::from("even int literal"),
        Token::Lit(Value::Int(_)) => Str::from("odd int literal"),
        Token::Lit(Value::Bool(true)) => Str::from("true literal"),
        Token::Lit(Value::Bool(false)) | Token::Lit(Value::Nil) => Str::from("falsy literal"),
        Token::Lit(Value::Float(f)) if f.is_nan() => Str::from("nan literal"),
        Token::Lit(Value::Float(_)) => Str::from("float literal"),
        Token::Pair(Value::Int(a), Value::Int(b)) if a == b => Str::from("equal int pair"),
        Token::Pair(Value::Int(_), Value::Int(_)) => Str::from("int pair"),
        Token::Pair(Value::Nil, _) | Token::Pair(_, Value::Nil) => Str::from("pair with nil"),
        Token::Pair(_, _) => Str::from("mixed pair"),
        Token::Open | Token::Close => Str::from("paren"),
    }
}

/// Adds two values: ints and floats mix, `Nil` is absorbing, bools count as 0/1.
fn add(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Nil, _) | (_, Value::Nil) => Value::Nil,
        (Value::Int(x), Value::Int(y)) => Value::Int(x + y),
        (Value::Float(x), Value::Float(y)) => Value::Float(x + y),
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => Value::Float(x as f64 + y),
        (Value::Bool(p), other) | (other, Value::Bool(p)) => add(Value::Int(p as i64), other),
    }
}

fn show_value(v: Value) -> Str {
    match v {
        Value::Int(n) => Str::from("Int(").concat(Str::from_i64(n)).concat(Str::from(")")),
        Value::Float(f) => Str::from("Float(").concat(Str::from_f64(f)).concat(Str::from(")")),
        Value::Bool(true) => Str::from("Bool(true)"),
        Value::Bool(false) => Str::from("Bool(false)"),
        Value::Nil => Str::from("Nil"),
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let tokens: GcList<Token> = GcList::new();
    tokens.push(Token::Num(0));
    tokens.push(Token::Num(7));
    tokens.push(Token::Num(9));
    tokens.push(Token::Num(-3));
    tokens.push(Token::Num(100));
    tokens.push(Token::Num(42));
    tokens.push(Token::Op(b'-'));
    tokens.push(Token::Op(b'/'));
    tokens.push(Token::Op(b'q'));
    tokens.push(Token::Op(b'%'));
    tokens.push(Token::Lit(Value::Int(4)));
    tokens.push(Token::Lit(Value::Int(-7)));
    tokens.push(Token::Lit(Value::Bool(true)));
    tokens.push(Token::Lit(Value::Nil));
    tokens.push(Token::Lit(Value::Float(f64::NAN)));
    tokens.push(Token::Lit(Value::Float(2.5)));
    tokens.push(Token::Pair(Value::Int(3), Value::Int(3)));
    tokens.push(Token::Pair(Value::Int(3), Value::Int(4)));
    tokens.push(Token::Pair(Value::Bool(false), Value::Nil));
    tokens.push(Token::Pair(Value::Float(1.0), Value::Int(1)));
    tokens.push(Token::Close);
    let mut i: usize = 0;
    while i < tokens.len() {
        print(Str::from_u64(i as u64));
        print(Str::from(": "));
        print(classify(tokens.get(i)));
        print(Str::from("\n"));
        i += 1;
    }

    let vals: GcList<Value> = GcList::new();
    vals.push(Value::Int(2));
    vals.push(Value::Float(0.5));
    vals.push(Value::Bool(true));
    vals.push(Value::Nil);
    let mut a: usize = 0;
    while a < vals.len() {
        let mut b: usize = 0;
        while b < vals.len() {
            print(show_value(vals.get(a)));
            print(Str::from(" + "));
            print(show_value(vals.get(b)));
            print(Str::from(" = "));
            print(show_value(add(vals.get(a), vals.get(b))));
            print(Str::from("\n"));
            b += 1;
        }
        a += 1;
    }
    let mut acc = Value::Int(0);
    let mut k: i64 = 1;
    while k <= 4 {
        acc = add(acc, Value::Int(k));
        k += 1;
    }
    print(Str::from("sum 1..=4: "));
    print(show_value(acc));
    print(Str::from("\n"));
    print(Str::from("is int: "));
    if matches!(acc, Value::Int(_)) {
        print(Str::from("yes\n"));
    } else {
        print(Str::from("no\n"));
    }
    0
}
