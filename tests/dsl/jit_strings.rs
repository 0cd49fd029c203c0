//! JIT test: a string-processing stack VM. Values are a `Copy` enum `V { Int(i64), S(Str) }`
//! (a payload in the ref bank next to one in the int bank); instructions are a `Copy` struct kept
//! in a `GcList` and fetched through an `#[elidable]` function with green arguments (a multi-word
//! result). The machine's state is a GC struct with a `Mut<StrBuilder>` and `Mut<i64>` fields,
//! a `GcList<Str>` word list, a `GcMap<Str, i64>` word counter and a `GcMap<i64, Str>` index.
//! In the hot loops: `concat`, `slice`, `byte_at`, `find`, `compare`, `==`, `starts_with`,
//! `ends_with`, `repeat`, `hash`, `parse_i64`, `Str::from_i64`/`from_byte`, `StrBuilder` pushes
//! and builds, map `insert`/`get`/`remove`/`key_at`/`value_at`, list `push`/`pop`/`insert`/
//! `remove`/`get`/`set`/`clear`. The guest program (text assembly, see `assemble`) splits a
//! vocabulary, generates a 4000-word pseudo-random text, counts its words by scanning bytes,
//! insertion-sorts the distinct words (an inner loop whose trip count varies), reverses words byte
//! by byte and reports, and finally `halt`s with a value that the portal returns.

use vmkit::io::print;
use vmkit::{Gc, GcArray, GcList, GcMap, JitDriver, Mut, Str, StrBuilder};

#[derive(Clone, Copy)]
enum V {
    Int(i64),
    S(Str),
}

#[derive(Clone, Copy)]
struct Ins {
    op: i64,
    arg: i64,
}

// Stack and control.
const PUSH_INT: i64 = 0;
const PUSH_STR: i64 = 1;
const LOAD: i64 = 2;
const STORE: i64 = 3;
const JUMP: i64 = 4;
const JUMP_IF_FALSE: i64 = 5;
const JUMP_IF_TRUE: i64 = 6;
const LOOP: i64 = 7;
const PRINT: i64 = 8;
const HALT: i64 = 9;
const DROP: i64 = 10;
// Integers.
const ADD: i64 = 11;
const SUB: i64 = 12;
const MUL: i64 = 13;
const DIV: i64 = 14;
const REM: i64 = 15;
const LT: i64 = 16;
const GT: i64 = 17;
const EQ: i64 = 18;
// Strings.
const CAT: i64 = 20;
const SLICE: i64 = 21;
const LEN: i64 = 22;
const BYTE: i64 = 23;
const CHR: i64 = 24;
const FIND: i64 = 25;
const CMP: i64 = 26;
const STARTS: i64 = 27;
const ENDS: i64 = 28;
const REP: i64 = 29;
const NUM: i64 = 30;
const PARSE: i64 = 31;
const HASH: i64 = 32;
const EMIT: i64 = 33;
const BUILD: i64 = 34;
// Containers.
const COUNT: i64 = 40;
const GET: i64 = 41;
const KEYS: i64 = 42;
const KEY: i64 = 43;
const VAL: i64 = 44;
const DEL: i64 = 45;
const PUSH: i64 = 46;
const POP: i64 = 47;
const INS: i64 = 48;
const RM: i64 = 49;
const AT: i64 = 50;
const WLEN: i64 = 51;
const SET: i64 = 52;
const CLEAR: i64 = 53;
const IPUT: i64 = 54;
const IGET: i64 = 55;

struct Prog {
    code: GcList<Ins>,
    strs: GcList<Str>,
    nlocals: usize,
}

struct Machine {
    stack: GcList<V>,
    locals: GcArray<V>,
    out: Mut<StrBuilder>,
    built: Mut<i64>,
    counts: GcMap<Str, i64>,
    words: GcList<Str>,
    index: GcMap<i64, Str>,
}

static DRIVER: JitDriver = JitDriver {
    name: "strings",
    greens: &["pc", "prog"],
    reds: &["m"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(pc: usize, prog: Gc<Prog>) -> Str {
    let ins = prog.code.get(pc);
    Str::from("pc=").concat(Str::from_u64(pc as u64)).concat(Str::from(" op=")).concat(Str::from_i64(ins.op))
}

#[vmkit::elidable]
fn fetch(prog: Gc<Prog>, pc: usize) -> Ins {
    prog.code.get(pc)
}

#[vmkit::elidable]
fn str_const(prog: Gc<Prog>, index: i64) -> Str {
    prog.strs.get(index as usize)
}

fn push(m: Gc<Machine>, v: V) {
    m.stack.push(v);
}

fn pop(m: Gc<Machine>) -> V {
    match m.stack.pop() {
        Some(v) => v,
        None => panic!("stack underflow"),
    }
}

fn pop_int(m: Gc<Machine>) -> i64 {
    match pop(m) {
        V::Int(i) => i,
        V::S(_) => panic!("expected an integer"),
    }
}

fn pop_str(m: Gc<Machine>) -> Str {
    match pop(m) {
        V::S(s) => s,
        V::Int(_) => panic!("expected a string"),
    }
}

fn push_bool(m: Gc<Machine>, b: bool) {
    push(m, V::Int(b as i64));
}

fn int_op(op: i64, a: i64, b: i64) -> i64 {
    match op {
        ADD => a.wrapping_add(b),
        SUB => a.wrapping_sub(b),
        MUL => a.wrapping_mul(b),
        DIV => a / b,
        REM => a % b,
        LT => (a < b) as i64,
        _ => (a > b) as i64,
    }
}

fn equal(a: V, b: V) -> bool {
    match (a, b) {
        (V::Int(x), V::Int(y)) => x == y,
        (V::S(x), V::S(y)) => x == y,
        _ => false,
    }
}

fn show(v: V) -> Str {
    match v {
        V::Int(i) => Str::from_i64(i),
        V::S(s) => s,
    }
}

/// String operations (one call below the dispatch loop, calling the stack helpers).
fn string_op(m: Gc<Machine>, op: i64) {
    match op {
        CAT => {
            let b = pop_str(m);
            let a = pop_str(m);
            push(m, V::S(a.concat(b)));
        }
        SLICE => {
            let end = pop_int(m) as usize;
            let start = pop_int(m) as usize;
            let s = pop_str(m);
            push(m, V::S(s.slice(start, end)));
        }
        LEN => {
            let s = pop_str(m);
            push(m, V::Int(s.len() as i64));
        }
        BYTE => {
            let i = pop_int(m) as usize;
            let s = pop_str(m);
            push(m, V::Int(s.byte_at(i) as i64));
        }
        CHR => {
            let b = pop_int(m);
            push(m, V::S(Str::from_byte(b as u8)));
        }
        FIND => {
            let start = pop_int(m) as usize;
            let needle = pop_str(m);
            let hay = pop_str(m);
            let at = match hay.find(needle, start) {
                Some(k) => k as i64,
                None => -1,
            };
            push(m, V::Int(at));
        }
        CMP => {
            let b = pop_str(m);
            let a = pop_str(m);
            push(m, V::Int(a.compare(b)));
        }
        STARTS => {
            let b = pop_str(m);
            let a = pop_str(m);
            push_bool(m, a.starts_with(b));
        }
        ENDS => {
            let b = pop_str(m);
            let a = pop_str(m);
            push_bool(m, a.ends_with(b));
        }
        REP => {
            let n = pop_int(m) as usize;
            let s = pop_str(m);
            push(m, V::S(s.repeat(n)));
        }
        NUM => {
            let i = pop_int(m);
            push(m, V::S(Str::from_i64(i)));
        }
        PARSE => {
            let s = pop_str(m);
            push(m, V::Int(s.parse_i64().unwrap_or(-1)));
        }
        HASH => {
            let s = pop_str(m);
            push(m, V::Int((s.hash() % 1000003) as i64));
        }
        EMIT => {
            let v = pop(m);
            m.out.get().push_str(show(v));
        }
        BUILD => {
            let s = m.out.get().build();
            m.out.set(StrBuilder::new());
            m.built.set(m.built.get() + 1);
            push(m, V::S(s));
        }
        _ => panic!("bad string op"),
    }
}

/// Container operations on the machine's word list, counter map and index map.
fn container_op(m: Gc<Machine>, op: i64) {
    match op {
        COUNT => {
            let w = pop_str(m);
            let n = m.counts.get(w).unwrap_or(0) + 1;
            m.counts.insert(w, n);
            push(m, V::Int(n));
        }
        GET => {
            let w = pop_str(m);
            push(m, V::Int(m.counts.get(w).unwrap_or(0)));
        }
        KEYS => push(m, V::Int(m.counts.len() as i64)),
        KEY => {
            let i = pop_int(m) as usize;
            push(m, V::S(m.counts.key_at(i)));
        }
        VAL => {
            let i = pop_int(m) as usize;
            push(m, V::Int(m.counts.value_at(i)));
        }
        DEL => {
            let w = pop_str(m);
            push(m, V::Int(m.counts.remove(w).unwrap_or(-1)));
        }
        PUSH => {
            let w = pop_str(m);
            m.words.push(w);
        }
        POP => match m.words.pop() {
            Some(w) => push(m, V::S(w)),
            None => push(m, V::Int(-1)),
        },
        INS => {
            let w = pop_str(m);
            let i = pop_int(m) as usize;
            m.words.insert(i, w);
        }
        RM => {
            let i = pop_int(m) as usize;
            push(m, V::S(m.words.remove(i)));
        }
        AT => {
            let i = pop_int(m) as usize;
            push(m, V::S(m.words.get(i)));
        }
        WLEN => push(m, V::Int(m.words.len() as i64)),
        SET => {
            let w = pop_str(m);
            let i = pop_int(m) as usize;
            m.words.set(i, w);
        }
        CLEAR => m.words.clear(),
        IPUT => {
            let w = pop_str(m);
            let k = pop_int(m);
            m.index.insert(k, w);
        }
        IGET => {
            let k = pop_int(m);
            push(m, V::S(m.index.get(k).unwrap_or(Str::from(""))));
        }
        _ => panic!("bad container op"),
    }
}

fn truthy(v: V) -> bool {
    match v {
        V::Int(i) => i != 0,
        V::S(s) => !s.is_empty(),
    }
}

/// The portal: runs `prog` on `m` and returns the value `halt` pops.
fn interpret(prog: Gc<Prog>, m: Gc<Machine>) -> V {
    let mut pc: usize = 0;
    let result =
        loop {
            vmkit::jit_merge_point!(DRIVER; pc, prog; m);
            let ins = fetch(prog, pc);
            pc += 1;
            match ins.op {
                PUSH_INT => push(m, V::Int(ins.arg)),
                PUSH_STR => push(m, V::S(str_const(prog, ins.arg))),
                LOAD => push(m, m.locals.get(ins.arg as usize)),
                STORE => m.locals.set(ins.arg as usize, pop(m)),
                JUMP => pc = ins.arg as usize,
                JUMP_IF_FALSE => {
                    if !truthy(pop(m)) {
                        pc = ins.arg as usize;
                    }
                }
                JUMP_IF_TRUE => {
                    if truthy(pop(m)) {
                        pc = ins.arg as usize;
                    }
                }
                LOOP => {
                    pc = ins.arg as usize;
                    vmkit::can_enter_jit!(DRIVER; pc, prog; m);
                }
                PRINT => print(show(pop(m)).concat(Str::from("\n"))),
                HALT => break pop(m),
                DROP => {
                    pop(m);
                }
                ADD | SUB | MUL | DIV | REM | LT | GT => {
                    let b = pop_int(m);
                    let a = pop_int(m);
                    push(m, V::Int(int_op(ins.op, a, b)));
                }
                EQ => {
                    let b = pop(m);
                    let a = pop(m);
                    push_bool(m, equal(a, b));
                }
                CAT | SLICE | LEN | BYTE | CHR | FIND | CMP | STARTS | ENDS | REP | NUM | PARSE | HASH | EMIT
                | BUILD => string_op(m, ins.op),
                COUNT | GET | KEYS | KEY | VAL | DEL | PUSH | POP | INS | RM | AT | WLEN | SET | CLEAR | IPUT
                | IGET => container_op(m, ins.op),
                _ => panic!("bad opcode"),
            }
        };
    result
}

// ---- Assembler ----------------------------------------------------------------------------
//
// Tokens are separated by spaces and newlines; `#` starts a comment. `name:` defines a label;
// `j:L`, `jf:L`, `jt:L` jump forward, `loop:L` jumps backwards; `@x` pushes local `x`, `=x` pops
// into it; an integer pushes itself; `'text` pushes the string `text` (`'` alone: the empty
// string); `sp` pushes a space; other words are operators.

fn tokenize(src: Str) -> GcList<Str> {
    let tokens: GcList<Str> = GcList::new();
    let mut i: usize = 0;
    let n = src.len();
    while i < n {
        let b = src.byte_at(i);
        if b == b' ' || b == b'\n' {
            i += 1;
        } else if b == b'#' {
            while i < n && src.byte_at(i) != b'\n' {
                i += 1;
            }
        } else {
            let start = i;
            while i < n && src.byte_at(i) != b' ' && src.byte_at(i) != b'\n' {
                i += 1;
            }
            tokens.push(src.slice(start, i));
        }
    }
    tokens
}

fn slot(names: GcMap<Str, i64>, name: Str) -> i64 {
    match names.get(name) {
        Some(k) => k,
        None => {
            let k = names.len() as i64;
            names.insert(name, k);
            k
        }
    }
}

fn assemble(src: Str, ops: GcMap<Str, i64>) -> Gc<Prog> {
    let tokens = tokenize(src);
    let labels: GcMap<Str, i64> = GcMap::new();
    let mut count: i64 = 0;
    for i in 0..tokens.len() {
        let tok = tokens.get(i);
        if tok.len() > 1 && tok.ends_with(Str::from(":")) {
            labels.insert(tok.slice(0, tok.len() - 1), count);
        } else {
            count += 1;
        }
    }
    let prog = Gc::new(Prog { code: GcList::new(), strs: GcList::new(), nlocals: 0 });
    let locals: GcMap<Str, i64> = GcMap::new();
    for i in 0..tokens.len() {
        let tok = tokens.get(i);
        if tok.len() > 1 && tok.ends_with(Str::from(":")) {
            continue;
        }
        let first = tok.byte_at(0);
        let ins = if first == b'\'' {
            prog.strs.push(tok.slice(1, tok.len()));
            Ins { op: PUSH_STR, arg: (prog.strs.len() - 1) as i64 }
        } else if tok == Str::from("sp") {
            prog.strs.push(Str::from(" "));
            Ins { op: PUSH_STR, arg: (prog.strs.len() - 1) as i64 }
        } else if tok.len() > 1 && first == b'@' {
            Ins { op: LOAD, arg: slot(locals, tok.slice(1, tok.len())) }
        } else if tok.len() > 1 && first == b'=' {
            Ins { op: STORE, arg: slot(locals, tok.slice(1, tok.len())) }
        } else if let Some(n) = tok.parse_i64() {
            Ins { op: PUSH_INT, arg: n }
        } else if let Some(colon) = tok.find(Str::from(":"), 0) {
            let kind = tok.slice(0, colon);
            let target = match labels.get(tok.slice(colon + 1, tok.len())) {
                Some(t) => t,
                None => panic!("unknown label"),
            };
            let op = if kind == Str::from("j") {
                JUMP
            } else if kind == Str::from("jf") {
                JUMP_IF_FALSE
            } else if kind == Str::from("jt") {
                JUMP_IF_TRUE
            } else if kind == Str::from("loop") {
                LOOP
            } else {
                panic!("unknown jump kind")
            };
            Ins { op, arg: target }
        } else {
            match ops.get(tok) {
                Some(op) => Ins { op, arg: 0 },
                None => {
                    print(Str::from("unknown word ").concat(tok).concat(Str::from("\n")));
                    panic!("unknown word");
                }
            }
        };
        prog.code.push(ins);
    }
    Gc::new(Prog { code: prog.code, strs: prog.strs, nlocals: locals.len() })
}

fn op_table() -> GcMap<Str, i64> {
    let ops: GcMap<Str, i64> = GcMap::new();
    let names = Str::from(
        "print halt drop + - * / % < > eq cat slice len byte chr find cmp starts ends rep num parse hash emit build ",
    )
    .concat(Str::from("count get keys key val del push pop ins rm at wlen set clear iput iget"));
    let codes: GcList<i64> = GcList::new();
    for c in PRINT..=DROP {
        codes.push(c);
    }
    for c in ADD..=EQ {
        codes.push(c);
    }
    for c in CAT..=BUILD {
        codes.push(c);
    }
    for c in COUNT..=IGET {
        codes.push(c);
    }
    let mut start: usize = 0;
    let mut k: usize = 0;
    for i in 0..=names.len() {
        if i == names.len() || names.byte_at(i) == b' ' {
            ops.insert(names.slice(start, i), codes.get(k));
            k += 1;
            start = i + 1;
        }
    }
    if k != codes.len() {
        panic!("operator table mismatch");
    }
    ops
}

/// The guest program.
fn guest() -> Str {
    Str::from(
        "
# split the vocabulary at '_' into the word list
'the_quick_brown_fox_jumps_over_the_lazy_dog_and_a_cat_sat_on_a_warm_mat =v
0 =start
split: @v '_ @start find =k
  @k 0 < jt:splitend
  @v @start @k slice push
  @k 1 + =start
  loop:split
splitend: @v @start @v len slice push
wlen print

# generate a text of 4000 pseudo-random words
12345 =x 0 =i
gen: @i 4000 < jf:genend
  @x 1103515245 * 12345 + 2147483648 % =x
  @x 65536 / wlen % at emit sp emit
  @i 1 + =i loop:gen
genend: build =text
@text len print
@text hash print

# count the words by scanning the bytes
0 =start 0 =i @text len =n
scan: @i @n < jf:scanend
  @text @i byte 32 eq jf:next
  @text @start @i slice count drop
  @i 1 + =start
  next: @i 1 + =i loop:scan
scanend: keys print

# insertion-sort the distinct words into the word list
clear 0 =i
sort: @i keys < jf:sortend
  @i key =w wlen =j
  inner: @j 0 > jf:place
    @j 1 - at @w cmp 0 > jf:place
    @j 1 - =j loop:inner
  place: @j @w ins
  @i 1 + =i loop:sort
sortend:

# word=count, in order
0 =i
out: @i wlen < jf:outend
  @i at emit '= emit @i at get num emit ', emit
  @i 1 + =i loop:out
outend: build print

# the longest word for each first letter, then each reversed byte by byte
0 =i
long: @i wlen < jf:longend
  @i at =w @w 0 byte =b
  @b iget len @w len < jf:keep
  @b @w iput
  keep: @i 1 + =i loop:long
longend:
97 =b
rep: @b 123 < jf:repend
  @b iget =w @w len 0 > jf:skip
  @b chr emit '-> emit
  ' =r @w len =j
  rev: @j 0 > jf:revend
    @j 1 - =j
    @r @w @j byte chr cat =r
    loop:rev
  revend: @r emit sp emit
  @r @w cmp num emit sp emit
  skip: @b 1 + =b loop:rep
repend: build print

# the last byte of every word, as a decimal string parsed back, summed
0 =i 0 =sum
nums: @i @n 1 - < jf:numsend
  @text @i 1 + byte 32 eq jf:nonum
  @text @i byte num parse @sum + =sum
  nonum: @i 1 + =i loop:nums
numsend: @sum print

# miscellaneous string and container operations
@text 'the sp cat starts print
@text sp ends print
@text 'dog 100 find print
@text 'zebra 0 find print
'ab 3 rep print
'-42 parse print 'x1 parse print
'the del print 'zebra del print keys print
'a get print 0 val print
0 rm print wlen 1 - rm print pop print wlen print
1 'hello set 1 at print
0 iget print 116 iget print
@text 0 20 slice 'x eq print 'x 'x eq print 3 3 eq print '3 3 eq print
keys halt
",
    )
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let prog = assemble(guest(), op_table());
    let m = Gc::new(Machine {
        stack: GcList::new(),
        locals: GcArray::new(prog.nlocals, V::Int(0)),
        out: Mut::new(StrBuilder::new()),
        built: Mut::new(0),
        counts: GcMap::new(),
        words: GcList::new(),
        index: GcMap::new(),
    });
    let result = interpret(prog, m);
    print(
        Str::from("halted with ")
            .concat(show(result))
            .concat(Str::from(", built "))
            .concat(Str::from_i64(m.built.get()))
            .concat(Str::from(" strings, stack depth "))
            .concat(Str::from_u64(m.stack.len() as u64))
            .concat(Str::from("\n")),
    );
    0
}
