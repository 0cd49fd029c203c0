//! JIT test: a backtracking regular-expression VM (Pike's instruction set, run depth-first with
//! an explicit backtrack stack, as in Russ Cox's "backtrack" matcher). Patterns are parsed into
//! a GC enum tree, compiled into a `GcList` of `Copy` enum instructions, and run by the portal
//! `search` (greens: the instruction index and the compiled pattern; reds: the subject, the
//! position and the backtrack stack, a `GcList<(usize, usize)>` of tuples). A failure pops a
//! thread from the stack: the next instruction index comes from data. Character classes are
//! checked by an `#[unroll_safe]` loop over the class's ranges (constant in a trace). The
//! unanchored search is a lazy `.*?` prefix, so the loops over the subject are guest loops
//! whose exits depend on the text: guards fail and bridges get compiled. The portal returns the
//! end of the leftmost match (or -1), once per line of a generated log, for several patterns.

use vmkit::io::print;
use vmkit::{Gc, GcList, JitDriver, Str, StrBuilder};

/// A parsed pattern.
enum Node {
    Byte(u8),
    Any,
    /// Index of the class in the pattern's class table.
    Class(usize),
    Cat(Gc<Node>, Gc<Node>),
    Alt(Gc<Node>, Gc<Node>),
    Star(Gc<Node>),
    Plus(Gc<Node>),
    Quest(Gc<Node>),
    Empty,
}

#[derive(Clone, Copy)]
enum Inst {
    Byte(u8),
    Any,
    Class(usize),
    /// Try the first target; on failure, the second.
    Split(usize, usize),
    Jmp(usize),
    Match,
}

struct Regex {
    source: Str,
    code: GcList<Inst>,
    /// Each class is a string of (low, high) byte pairs.
    classes: GcList<Str>,
}

static DRIVER: JitDriver = JitDriver {
    name: "regex",
    greens: &["pc", "re"],
    reds: &["subject", "sp", "stack"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(pc: usize, re: Gc<Regex>) -> Str {
    re.source.concat(Str::from(" @")).concat(Str::from_u64(pc as u64))
}

#[vmkit::elidable]
fn inst_at(re: Gc<Regex>, pc: usize) -> Inst {
    re.code.get(pc)
}

#[vmkit::elidable]
fn class_at(re: Gc<Regex>, k: usize) -> Str {
    re.classes.get(k)
}

#[vmkit::unroll_safe]
fn in_class(ranges: Str, b: u8) -> bool {
    let mut i: usize = 0;
    while i < ranges.len() {
        if ranges.byte_at(i) <= b && b <= ranges.byte_at(i + 1) {
            return true;
        }
        i += 2;
    }
    false
}

/// Whether instruction `inst` consumes the byte at `sp` of `subject`.
fn step_ok(re: Gc<Regex>, inst: Inst, subject: Str, sp: usize) -> bool {
    if sp >= subject.len() {
        return false;
    }
    let b = subject.byte_at(sp);
    match inst {
        Inst::Byte(c) => b == c,
        Inst::Any => b != b'\n',
        Inst::Class(k) => in_class(class_at(re, k), b),
        _ => false,
    }
}

/// The portal: the end of the leftmost (first-found) match of `re` in `subject`, or -1.
fn search(re: Gc<Regex>, subject: Str) -> i64 {
    let stack: GcList<(usize, usize)> = GcList::new();
    let mut pc: usize = 0;
    let mut sp: usize = 0;
    let result = loop {
        vmkit::jit_merge_point!(DRIVER; pc, re; subject, sp, stack);
        let inst = inst_at(re, pc);
        let mut failed = false;
        match inst {
            Inst::Byte(_) | Inst::Any | Inst::Class(_) => {
                if step_ok(re, inst, subject, sp) {
                    pc += 1;
                    sp += 1;
                } else {
                    failed = true;
                }
            }
            Inst::Split(first, second) => {
                stack.push((second, sp));
                let back = first < pc;
                pc = first;
                if back {
                    vmkit::can_enter_jit!(DRIVER; pc, re; subject, sp, stack);
                }
            }
            Inst::Jmp(target) => {
                let back = target < pc;
                pc = target;
                if back {
                    vmkit::can_enter_jit!(DRIVER; pc, re; subject, sp, stack);
                }
            }
            Inst::Match => break sp as i64,
        }
        if failed {
            match stack.pop() {
                Some((p, s)) => {
                    pc = p;
                    sp = s;
                }
                None => break -1,
            }
        }
    };
    result
}

// ---- Parser and compiler ------------------------------------------------------------------

struct Parser {
    src: Str,
    pos: vmkit::Mut<usize>,
    classes: GcList<Str>,
}

fn peek(p: Gc<Parser>) -> u8 {
    if p.pos.get() < p.src.len() {
        p.src.byte_at(p.pos.get())
    } else {
        0
    }
}

fn advance(p: Gc<Parser>) -> u8 {
    let b = peek(p);
    p.pos.set(p.pos.get() + 1);
    b
}

fn parse_alt(p: Gc<Parser>) -> Gc<Node> {
    let left = parse_seq(p);
    if peek(p) == b'|' {
        advance(p);
        let right = parse_alt(p);
        Gc::new(Node::Alt(left, right))
    } else {
        left
    }
}

fn parse_seq(p: Gc<Parser>) -> Gc<Node> {
    let mut node = Gc::new(Node::Empty);
    loop {
        let b = peek(p);
        if b == 0 || b == b'|' || b == b')' {
            break;
        }
        let atom = parse_postfix(p);
        node = Gc::new(Node::Cat(node, atom));
    }
    node
}

fn parse_postfix(p: Gc<Parser>) -> Gc<Node> {
    let mut atom = parse_atom(p);
    loop {
        match peek(p) {
            b'*' => atom = Gc::new(Node::Star(atom)),
            b'+' => atom = Gc::new(Node::Plus(atom)),
            b'?' => atom = Gc::new(Node::Quest(atom)),
            _ => break,
        }
        advance(p);
    }
    atom
}

fn parse_atom(p: Gc<Parser>) -> Gc<Node> {
    match advance(p) {
        b'(' => {
            let inner = parse_alt(p);
            if advance(p) != b')' {
                panic!("missing )");
            }
            inner
        }
        b'.' => Gc::new(Node::Any),
        b'[' => {
            let ranges = StrBuilder::new();
            while peek(p) != b']' {
                let lo = advance(p);
                let mut hi = lo;
                if peek(p) == b'-' {
                    advance(p);
                    hi = advance(p);
                }
                ranges.push_byte(lo);
                ranges.push_byte(hi);
            }
            advance(p);
            p.classes.push(ranges.build());
            Gc::new(Node::Class(p.classes.len() - 1))
        }
        b'\\' => Gc::new(Node::Byte(advance(p))),
        b => Gc::new(Node::Byte(b)),
    }
}

fn emit(code: GcList<Inst>, inst: Inst) -> usize {
    code.push(inst);
    code.len() - 1
}

fn compile(n: Gc<Node>, code: GcList<Inst>) {
    match *n {
        Node::Byte(b) => {
            emit(code, Inst::Byte(b));
        }
        Node::Any => {
            emit(code, Inst::Any);
        }
        Node::Class(k) => {
            emit(code, Inst::Class(k));
        }
        Node::Cat(a, b) => {
            compile(a, code);
            compile(b, code);
        }
        Node::Alt(a, b) => {
            let split = emit(code, Inst::Split(0, 0));
            compile(a, code);
            let jmp = emit(code, Inst::Jmp(0));
            let second = code.len();
            compile(b, code);
            code.set(split, Inst::Split(split + 1, second));
            code.set(jmp, Inst::Jmp(code.len()));
        }
        Node::Star(a) => {
            let split = emit(code, Inst::Split(0, 0));
            compile(a, code);
            emit(code, Inst::Jmp(split));
            code.set(split, Inst::Split(split + 1, code.len()));
        }
        Node::Plus(a) => {
            let start = code.len();
            compile(a, code);
            let split = emit(code, Inst::Split(start, 0));
            code.set(split, Inst::Split(start, split + 1));
        }
        Node::Quest(a) => {
            let split = emit(code, Inst::Split(0, 0));
            compile(a, code);
            code.set(split, Inst::Split(split + 1, code.len()));
        }
        Node::Empty => {}
    }
}

/// Compiles `source` for an unanchored search: `L0: split L2, L1; L1: any; jmp L0; L2: ...`.
fn regex(source: Str) -> Gc<Regex> {
    let p = Gc::new(Parser { src: source, pos: vmkit::Mut::new(0), classes: GcList::new() });
    let tree = parse_alt(p);
    if p.pos.get() != source.len() {
        panic!("unbalanced )");
    }
    let code: GcList<Inst> = GcList::new();
    emit(code, Inst::Split(3, 1));
    emit(code, Inst::Any);
    emit(code, Inst::Jmp(0));
    compile(tree, code);
    emit(code, Inst::Match);
    Gc::new(Regex { source, code, classes: p.classes })
}

// ---- The subject text ---------------------------------------------------------------------

fn pick(words: Str, k: i64) -> Str {
    // `words` is a space-separated list; returns word number k modulo their count.
    let mut count: i64 = 1;
    for i in 0..words.len() {
        if words.byte_at(i) == b' ' {
            count += 1;
        }
    }
    let want = k % count;
    let mut start: usize = 0;
    let mut seen: i64 = 0;
    for i in 0..=words.len() {
        if i == words.len() || words.byte_at(i) == b' ' {
            if seen == want {
                return words.slice(start, i);
            }
            seen += 1;
            start = i + 1;
        }
    }
    panic!("unreachable word")
}

/// 300 pseudo-random log lines.
fn log_lines() -> GcList<Str> {
    let lines: GcList<Str> = GcList::new();
    let mut x: i64 = 42;
    for _ in 0..300 {
        let b = StrBuilder::new();
        x = (x * 1103515245 + 12345) % 2147483648;
        b.push_str(pick(Str::from("alice bob carol dave eve mallory trent"), x / 65536));
        x = (x * 1103515245 + 12345) % 2147483648;
        b.push_str(Str::from_i64(x / 65536 % 100));
        b.push_str(Str::from(" "));
        x = (x * 1103515245 + 12345) % 2147483648;
        b.push_str(pick(Str::from("logged_in logged_out warning: error: abacus abcabc aab"), x / 65536));
        b.push_str(Str::from(" from 10."));
        x = (x * 1103515245 + 12345) % 2147483648;
        b.push_str(Str::from_i64(x / 65536 % 256));
        b.push_str(Str::from("."));
        b.push_str(Str::from_i64(x / 256 % 256));
        x = (x * 1103515245 + 12345) % 2147483648;
        if x / 65536 % 3 != 0 {
            b.push_str(Str::from("."));
            b.push_str(Str::from_i64(x / 1024 % 256));
        }
        b.push_str(Str::from(" at "));
        b.push_str(Str::from_i64(x / 7 % 24));
        b.push_str(Str::from(":"));
        b.push_str(Str::from_i64(x / 11 % 60));
        lines.push(b.build());
    }
    lines
}

fn count_matches(source: Str, lines: GcList<Str>) {
    let re = regex(source);
    let mut matches: i64 = 0;
    let mut ends: i64 = 0;
    for i in 0..lines.len() {
        let end = search(re, lines.get(i));
        if end >= 0 {
            matches += 1;
            ends += end;
        }
    }
    print(
        source
            .concat(Str::from(": "))
            .concat(Str::from_i64(matches))
            .concat(Str::from(" lines, ends summing to "))
            .concat(Str::from_i64(ends))
            .concat(Str::from("\n")),
    );
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let lines = log_lines();
    print(lines.get(0).concat(Str::from("\n")));
    print(lines.get(1).concat(Str::from("\n")));
    count_matches(Str::from("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+"), lines);
    count_matches(Str::from("(error|warning):"), lines);
    count_matches(Str::from("a.*b.*c"), lines);
    count_matches(Str::from("(ab|a)*c"), lines);
    count_matches(Str::from("[a-e][a-z]*[0-9]?[0-9] l"), lines);
    count_matches(Str::from("at (1[0-9]|2[0-3]):[0-5]?[0-9]"), lines);
    count_matches(Str::from("x|yz|q"), lines);
    let re = regex(Str::from("b+c?"));
    print(
        Str::from("search b+c? in abbbcd: ")
            .concat(Str::from_i64(search(re, Str::from("abbbcd"))))
            .concat(Str::from("\n")),
    );
    0
}
