//! Recursion over data: a mutually recursive descent parser returning `(value, position)` tuples,
//! and a binary search tree of `Gc` nodes with `Mut<Option<Gc<_>>>` children (recursive insert
//! with duplicates, in-order walk, height).

use vmkit::io::print;
use vmkit::{Gc, GcList, Mut, Str};

/// expr := term ('+' term)*; term := atom ('*' atom)*; atom := digit | '(' expr ')'.
/// Returns (value, next position).
fn parse_expr(s: Str, pos: usize) -> (i64, usize) {
    let (mut v, mut p) = parse_term(s, pos);
    while p < s.len() && s.byte_at(p) == b'+' {
        let (w, q) = parse_term(s, p + 1);
        v += w;
        p = q;
    }
    (v, p)
}

fn parse_term(s: Str, pos: usize) -> (i64, usize) {
    let (mut v, mut p) = parse_atom(s, pos);
    while p < s.len() && s.byte_at(p) == b'*' {
        let (w, q) = parse_atom(s, p + 1);
        v *= w;
        p = q;
    }
    (v, p)
}

fn parse_atom(s: Str, pos: usize) -> (i64, usize) {
    if s.byte_at(pos) == b'(' {
        let (v, p) = parse_expr(s, pos + 1);
        (v, p + 1)
    } else {
        ((s.byte_at(pos) - b'0') as i64, pos + 1)
    }
}

struct Tree {
    key: i64,
    left: Mut<Option<Gc<Tree>>>,
    right: Mut<Option<Gc<Tree>>>,
}

fn insert(t: Option<Gc<Tree>>, key: i64) -> Gc<Tree> {
    match t {
        None => Gc::new(Tree { key: key, left: Mut::new(None), right: Mut::new(None) }),
        Some(node) => {
            if key < node.key {
                node.left.set(Some(insert(node.left.get(), key)));
            } else {
                node.right.set(Some(insert(node.right.get(), key)));
            }
            node
        }
    }
}

fn in_order(t: Option<Gc<Tree>>) {
    if let Some(node) = t {
        in_order(node.left.get());
        print(Str::from(" "));
        print(Str::from_i64(node.key));
        in_order(node.right.get());
    }
}

fn height(t: Option<Gc<Tree>>) -> i64 {
    match t {
        None => 0,
        Some(node) => 1 + height(node.left.get()).max(height(node.right.get())),
    }
}

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

fn parse_line(src: Str) {
    let (v, end) = parse_expr(src, 0);
    print(src);
    print(Str::from(" = "));
    print(Str::from_i64(v));
    print(Str::from(", consumed "));
    print(Str::from_u64(end as u64));
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    parse_line(Str::from("2*(3+4)*5+1+(2)"));
    parse_line(Str::from("((((7))))"));
    parse_line(Str::from("1+2*3+4"));
    parse_line(Str::from("(1+2)*(3+4)"));
    parse_line(Str::from("9*9*9*9)+1"));
    let mut root: Option<Gc<Tree>> = None;
    let keys: GcList<i64> = GcList::new();
    keys.push(50);
    keys.push(30);
    keys.push(70);
    keys.push(20);
    keys.push(40);
    keys.push(60);
    keys.push(80);
    keys.push(35);
    keys.push(30);
    for i in 0..keys.len() {
        root = Some(insert(root, keys.get(i)));
    }
    print(Str::from("in order:"));
    in_order(root);
    print(Str::from("\n"));
    num(Str::from("height = "), height(root));
    let mut lone: Option<Gc<Tree>> = None;
    num(Str::from("empty height = "), height(lone));
    lone = Some(insert(lone, 1));
    num(Str::from("single height = "), height(lone));
    0
}
