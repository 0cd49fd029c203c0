//! JIT test: a stack VM with dynamically shaped objects, implemented with hidden classes as in
//! PyPy and V8: an object is a `Mut<Gc<Shape>>` plus a `GcList<Value>` of slots; attribute
//! access `promote`s the shape and looks the name up through `#[elidable]` functions with the
//! (now constant) shape and the (green) name, so compiled code reads slots at fixed indexes
//! behind a shape guard; adding an attribute moves the object to another shape (a memoized
//! transition), which makes those guards fail later on (bridges). Instructions are GC enum
//! objects (`GcArray<Gc<Op>>`, `match *op`) with `Str` payloads; values are a `Copy` enum with
//! GC payloads (objects, lists) and a unit variant. In the hot loops: objects allocated with
//! `Gc::new` (most of them garbage right away), `Mut` field reads and writes, `GcList` `push`,
//! `get`, `set`, `remove(0)` (a queue), `pop`, `insert`, and a `GcMap<i64, Value>` dictionary
//! (`insert`, `get`, `contains_key`, `remove`). Guest programs: 40 bouncing particles for 300
//! steps (a `bounces` attribute appears on first bounce), and a breadth-first search over a grid
//! with walls using a list as a queue. The portal returns the value `halt` pops.

use vmkit::io::print;
use vmkit::jit::promote;
use vmkit::{Gc, GcArray, GcList, GcMap, JitDriver, Mut, Str};

#[derive(Clone, Copy)]
enum Value {
    Int(i64),
    Obj(Gc<Obj>),
    List(GcList<Value>),
    Nil,
}

struct Shape {
    id: i64,
    /// Attribute name → slot index.
    index: GcMap<Str, i64>,
    /// Attribute names in slot order.
    names: GcList<Str>,
    /// Memoized transitions: the shape after adding an attribute.
    transitions: GcMap<Str, Gc<Shape>>,
}

struct Obj {
    shape: Mut<Gc<Shape>>,
    slots: GcList<Value>,
}

enum Op {
    Int(i64),
    Load(usize),
    Store(usize),
    Arith(u8),
    Not,
    New,
    GetAttr(Str),
    SetAttr(Str),
    HasAttr(Str),
    ListNew,
    ListOp(u8),
    MapOp(u8),
    Jump(usize),
    JumpIfFalse(usize),
    Loop(usize),
    Print(Str),
    Drop,
    Nil,
    Halt,
}

struct Prog {
    code: GcArray<Gc<Op>>,
    nlocals: usize,
}

struct Vm {
    stack: GcList<Value>,
    locals: GcArray<Value>,
    dict: GcMap<i64, Value>,
    empty: Gc<Shape>,
    shapes: Mut<i64>,
}

static DRIVER: JitDriver = JitDriver {
    name: "objects",
    greens: &["pc", "prog"],
    reds: &["vm"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(pc: usize, prog: Gc<Prog>) -> Str {
    Str::from("pc=").concat(Str::from_u64(pc as u64))
}

/// Slot of `name` in objects of `shape`, or -1. A shape's index never changes.
#[vmkit::elidable]
fn slot_of(shape: Gc<Shape>, name: Str) -> i64 {
    shape.index.get(name).unwrap_or(-1)
}

/// The shape after adding `name` to `shape`: created on first use, then always the same object.
#[vmkit::elidable]
fn transition(vm: Gc<Vm>, shape: Gc<Shape>, name: Str) -> Gc<Shape> {
    match shape.transitions.get(name) {
        Some(next) => next,
        None => {
            let next = Gc::new(Shape {
                id: vm.shapes.get(),
                index: GcMap::new(),
                names: GcList::new(),
                transitions: GcMap::new(),
            });
            vm.shapes.set(vm.shapes.get() + 1);
            for i in 0..shape.names.len() {
                next.names.push(shape.names.get(i));
                next.index.insert(shape.names.get(i), i as i64);
            }
            next.names.push(name);
            next.index.insert(name, shape.names.len() as i64);
            shape.transitions.insert(name, next);
            next
        }
    }
}

fn push(vm: Gc<Vm>, v: Value) {
    vm.stack.push(v);
}

fn pop(vm: Gc<Vm>) -> Value {
    match vm.stack.pop() {
        Some(v) => v,
        None => panic!("stack underflow"),
    }
}

fn pop_int(vm: Gc<Vm>) -> i64 {
    match pop(vm) {
        Value::Int(i) => i,
        _ => panic!("expected an integer"),
    }
}

fn pop_obj(vm: Gc<Vm>) -> Gc<Obj> {
    match pop(vm) {
        Value::Obj(o) => o,
        _ => panic!("expected an object"),
    }
}

fn pop_list(vm: Gc<Vm>) -> GcList<Value> {
    match pop(vm) {
        Value::List(l) => l,
        _ => panic!("expected a list"),
    }
}

fn get_attr(obj: Gc<Obj>, name: Str) -> Value {
    let shape = promote(obj.shape.get());
    let k = slot_of(shape, name);
    if k < 0 {
        print(Str::from("no attribute ").concat(name).concat(Str::from("\n")));
        panic!("attribute error");
    }
    obj.slots.get(k as usize)
}

fn set_attr(vm: Gc<Vm>, obj: Gc<Obj>, name: Str, v: Value) {
    let shape = promote(obj.shape.get());
    let k = slot_of(shape, name);
    if k >= 0 {
        obj.slots.set(k as usize, v);
    } else {
        obj.shape.set(transition(vm, shape, name));
        obj.slots.push(v);
    }
}

fn arith(op: u8, a: i64, b: i64) -> i64 {
    match op {
        b'+' => a.wrapping_add(b),
        b'-' => a.wrapping_sub(b),
        b'*' => a.wrapping_mul(b),
        b'/' => a / b,
        b'%' => a % b,
        b'<' => (a < b) as i64,
        b'>' => (a > b) as i64,
        b'=' => (a == b) as i64,
        b'|' => (a != 0 || b != 0) as i64,
        b'&' => (a != 0 && b != 0) as i64,
        _ => panic!("bad arithmetic"),
    }
}

/// List operations: `p` push, `g` get, `s` set, `l` len, `f` remove(0), `o` pop, `i` insert.
fn list_op(vm: Gc<Vm>, op: u8) {
    match op {
        b'p' => {
            let v = pop(vm);
            pop_list(vm).push(v);
        }
        b'g' => {
            let i = pop_int(vm);
            let l = pop_list(vm);
            push(vm, l.get(i as usize));
        }
        b's' => {
            let v = pop(vm);
            let i = pop_int(vm);
            pop_list(vm).set(i as usize, v);
        }
        b'l' => {
            let l = pop_list(vm);
            push(vm, Value::Int(l.len() as i64));
        }
        b'f' => {
            let l = pop_list(vm);
            push(vm, l.remove(0));
        }
        b'o' => {
            let l = pop_list(vm);
            push(vm, l.pop().unwrap_or(Value::Nil));
        }
        b'i' => {
            let v = pop(vm);
            let i = pop_int(vm);
            pop_list(vm).insert(i as usize, v);
        }
        _ => panic!("bad list op"),
    }
}

/// Dictionary operations: `p` put, `g` get (nil if absent), `h` has, `d` delete, `l` len.
fn map_op(vm: Gc<Vm>, op: u8) {
    match op {
        b'p' => {
            let v = pop(vm);
            let k = pop_int(vm);
            vm.dict.insert(k, v);
        }
        b'g' => {
            let k = pop_int(vm);
            push(vm, vm.dict.get(k).unwrap_or(Value::Nil));
        }
        b'h' => {
            let k = pop_int(vm);
            push(vm, Value::Int(vm.dict.contains_key(k) as i64));
        }
        b'd' => {
            let k = pop_int(vm);
            push(vm, vm.dict.remove(k).unwrap_or(Value::Nil));
        }
        b'l' => push(vm, Value::Int(vm.dict.len() as i64)),
        _ => panic!("bad map op"),
    }
}

fn show(v: Value) -> Str {
    match v {
        Value::Int(i) => Str::from_i64(i),
        Value::Obj(o) => {
            let shape = o.shape.get();
            let mut s = Str::from("{");
            for i in 0..shape.names.len() {
                if i > 0 {
                    s = s.concat(Str::from(", "));
                }
                s = s.concat(shape.names.get(i)).concat(Str::from(": ")).concat(show(o.slots.get(i)));
            }
            s.concat(Str::from("}"))
        }
        Value::List(l) => Str::from("<list of ").concat(Str::from_u64(l.len() as u64)).concat(Str::from(">")),
        Value::Nil => Str::from("nil"),
    }
}

fn truthy(v: Value) -> bool {
    match v {
        Value::Int(i) => i != 0,
        Value::Nil => false,
        _ => true,
    }
}

/// The portal.
fn interpret(prog: Gc<Prog>, vm: Gc<Vm>) -> Value {
    let mut pc: usize = 0;
    let result = loop {
        vmkit::jit_merge_point!(DRIVER; pc, prog; vm);
        let op = prog.code.get(pc);
        pc += 1;
        match *op {
            Op::Int(n) => push(vm, Value::Int(n)),
            Op::Load(k) => push(vm, vm.locals.get(k)),
            Op::Store(k) => vm.locals.set(k, pop(vm)),
            Op::Arith(c) => {
                let b = pop_int(vm);
                let a = pop_int(vm);
                push(vm, Value::Int(arith(c, a, b)));
            }
            Op::Not => {
                let v = pop(vm);
                push(vm, Value::Int(!truthy(v) as i64));
            }
            Op::New => push(vm, Value::Obj(Gc::new(Obj { shape: Mut::new(vm.empty), slots: GcList::new() }))),
            Op::GetAttr(name) => {
                let obj = pop_obj(vm);
                push(vm, get_attr(obj, name));
            }
            Op::SetAttr(name) => {
                let v = pop(vm);
                let obj = pop_obj(vm);
                set_attr(vm, obj, name, v);
            }
            Op::HasAttr(name) => {
                let obj = pop_obj(vm);
                let shape = promote(obj.shape.get());
                push(vm, Value::Int((slot_of(shape, name) >= 0) as i64));
            }
            Op::ListNew => push(vm, Value::List(GcList::new())),
            Op::ListOp(c) => list_op(vm, c),
            Op::MapOp(c) => map_op(vm, c),
            Op::Jump(t) => pc = t,
            Op::JumpIfFalse(t) => {
                if !truthy(pop(vm)) {
                    pc = t;
                }
            }
            Op::Loop(t) => {
                pc = t;
                vmkit::can_enter_jit!(DRIVER; pc, prog; vm);
            }
            Op::Print(label) => print(label.concat(show(pop(vm))).concat(Str::from("\n"))),
            Op::Drop => {
                pop(vm);
            }
            Op::Nil => push(vm, Value::Nil),
            Op::Halt => break pop(vm),
        }
    };
    result
}

// ---- Assembler ----------------------------------------------------------------------------
//
// Whitespace-separated tokens, `#` comments. `name:` defines a label, `j:L` `jf:L` `loop:L`
// jump to it; `@x`/`=x` load and store locals; `.a` reads attribute `a` of the object on top of
// the stack, `!a` sets it (stack: object value), `?a` tests it; `$label` prints the top of the
// stack after `label` (`_` in the label stands for a space). Integers push themselves.

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

fn underscores_to_spaces(s: Str) -> Str {
    let b = vmkit::StrBuilder::new();
    for i in 0..s.len() {
        let c = s.byte_at(i);
        b.push_byte(if c == b'_' { b' ' } else { c });
    }
    b.build()
}

fn word(tok: Str) -> Gc<Op> {
    let ops = Str::from("+-*/%<>|&");
    if tok.len() == 1 && ops.find(tok, 0).is_some() {
        return Gc::new(Op::Arith(tok.byte_at(0)));
    }
    if tok == Str::from("eq") {
        Gc::new(Op::Arith(b'='))
    } else if tok == Str::from("not") {
        Gc::new(Op::Not)
    } else if tok == Str::from("new") {
        Gc::new(Op::New)
    } else if tok == Str::from("list") {
        Gc::new(Op::ListNew)
    } else if tok == Str::from("push") {
        Gc::new(Op::ListOp(b'p'))
    } else if tok == Str::from("get") {
        Gc::new(Op::ListOp(b'g'))
    } else if tok == Str::from("set") {
        Gc::new(Op::ListOp(b's'))
    } else if tok == Str::from("len") {
        Gc::new(Op::ListOp(b'l'))
    } else if tok == Str::from("popf") {
        Gc::new(Op::ListOp(b'f'))
    } else if tok == Str::from("pop") {
        Gc::new(Op::ListOp(b'o'))
    } else if tok == Str::from("ins") {
        Gc::new(Op::ListOp(b'i'))
    } else if tok == Str::from("mput") {
        Gc::new(Op::MapOp(b'p'))
    } else if tok == Str::from("mget") {
        Gc::new(Op::MapOp(b'g'))
    } else if tok == Str::from("mhas") {
        Gc::new(Op::MapOp(b'h'))
    } else if tok == Str::from("mdel") {
        Gc::new(Op::MapOp(b'd'))
    } else if tok == Str::from("mlen") {
        Gc::new(Op::MapOp(b'l'))
    } else if tok == Str::from("drop") {
        Gc::new(Op::Drop)
    } else if tok == Str::from("nil") {
        Gc::new(Op::Nil)
    } else if tok == Str::from("halt") {
        Gc::new(Op::Halt)
    } else {
        print(Str::from("unknown word ").concat(tok).concat(Str::from("\n")));
        panic!("unknown word")
    }
}

fn slot(names: GcMap<Str, i64>, name: Str) -> usize {
    match names.get(name) {
        Some(k) => k as usize,
        None => {
            let k = names.len() as i64;
            names.insert(name, k);
            k as usize
        }
    }
}

fn assemble(src: Str) -> Gc<Prog> {
    let tokens = tokenize(src);
    let labels: GcMap<Str, i64> = GcMap::new();
    let mut count: usize = 0;
    for i in 0..tokens.len() {
        let tok = tokens.get(i);
        if tok.len() > 1 && tok.ends_with(Str::from(":")) {
            labels.insert(tok.slice(0, tok.len() - 1), count as i64);
        } else {
            count += 1;
        }
    }
    let code: GcArray<Gc<Op>> = GcArray::new(count, Gc::new(Op::Halt));
    let locals: GcMap<Str, i64> = GcMap::new();
    let mut at: usize = 0;
    for i in 0..tokens.len() {
        let tok = tokens.get(i);
        if tok.len() > 1 && tok.ends_with(Str::from(":")) {
            continue;
        }
        let first = tok.byte_at(0);
        let rest = tok.slice(1, tok.len());
        let op = if tok.len() > 1 && first == b'@' {
            Gc::new(Op::Load(slot(locals, rest)))
        } else if tok.len() > 1 && first == b'=' {
            Gc::new(Op::Store(slot(locals, rest)))
        } else if tok.len() > 1 && first == b'.' {
            Gc::new(Op::GetAttr(rest))
        } else if tok.len() > 1 && first == b'!' {
            Gc::new(Op::SetAttr(rest))
        } else if tok.len() > 1 && first == b'?' {
            Gc::new(Op::HasAttr(rest))
        } else if first == b'$' {
            Gc::new(Op::Print(underscores_to_spaces(rest)))
        } else if let Some(n) = tok.parse_i64() {
            Gc::new(Op::Int(n))
        } else if let Some(colon) = tok.find(Str::from(":"), 0) {
            let kind = tok.slice(0, colon);
            let target = match labels.get(tok.slice(colon + 1, tok.len())) {
                Some(t) => t as usize,
                None => panic!("unknown label"),
            };
            if kind == Str::from("j") {
                Gc::new(Op::Jump(target))
            } else if kind == Str::from("jf") {
                Gc::new(Op::JumpIfFalse(target))
            } else {
                Gc::new(Op::Loop(target))
            }
        } else {
            word(tok)
        };
        code.set(at, op);
        at += 1;
    }
    Gc::new(Prog { code, nlocals: locals.len() })
}

fn particles() -> Str {
    Str::from(
        "# 40 particles with positions and velocities
        list =ps 0 =i
        mk: @i 40 < jf:mkend
          new =p
          @p @i 37 * 1000 % !x
          @p @i 53 * 1000 % !y
          @p @i 7 % 3 - 5 * !vx
          @p @i 5 % 2 - 9 * !vy
          @ps @p push
          @i 1 + =i loop:mk
        mkend:
        @ps 0 get $first:_
        0 =step
        steps: @step 300 < jf:stepsend
          0 =i
          each: @i @ps len < jf:eachend
            @ps @i get =p
            @p @p .x @p .vx + !x
            @p @p .y @p .vy + !y
            @p .x 0 < @p .x 999 > | jf:nobx
              @p 0 @p .vx - !vx
              @p ?bounces jf:firstx
                @p @p .bounces 1 + !bounces j:nobx
              firstx: @p 1 !bounces
            nobx:
            @p .y 0 < @p .y 999 > | jf:noby
              @p 0 @p .vy - !vy
              @p ?bounces jf:firsty
                @p @p .bounces 1 + !bounces j:noby
              firsty: @p 1 !bounces
            noby:
            @i 1 + =i loop:each
          eachend:
          # a trail object per step; every 50th is kept in the dictionary
          new =t @t @step !s @t @ps 0 get .x !x0 @t @ps 39 get .y !y39
          @step 50 % 0 eq jf:nokeep @step @t mput nokeep:
          @step 1 + =step loop:steps
        stepsend:
        0 =sx 0 =sy 0 =sb 0 =never 0 =i
        sum: @i @ps len < jf:sumend
          @ps @i get =p
          @sx @p .x + =sx @sy @p .y + =sy
          @p ?bounces jf:nob @sb @p .bounces + =sb j:next
          nob: @never 1 + =never
          next: @i 1 + =i loop:sum
        sumend:
        @sx $sum_x:_ @sy $sum_y:_ @sb $bounces:_ @never $never_bounced:_
        @ps 0 get $first:_ @ps 39 get $last:_
        mlen $kept:_ 100 mget $step_100:_ 101 mget $step_101:_ 250 mhas $has_250:_
        250 mdel $deleted:_ 250 mhas $has_250:_ mlen $kept:_
        @sb halt",
    )
}

fn bfs() -> Str {
    Str::from(
        "# breadth-first search on a 30x30 grid; (x, y) is a wall when (xy + x + 2y) % 4 == 0,
        # except the start; dist holds -1 (unseen) or the distance
        list =dist 0 =i
        init: @i 900 < jf:initend @dist -1 push @i 1 + =i loop:init
        initend:
        @dist 0 0 set
        list =q @q 0 push
        0 =reached 0 =far
        visit: @q len 0 > jf:done
          @q popf =c
          @dist @c get =d
          @reached 1 + =reached
          @d @far > jf:notfar @d =far notfar:
          0 =dir
          nb: @dir 4 < jf:nbend
            @c 30 % =x @c 30 / =y
            @dir 0 eq jf:d1 @x 1 + =x j:moved
            d1: @dir 1 eq jf:d2 @x 1 - =x j:moved
            d2: @dir 2 eq jf:d3 @y 1 + =y j:moved
            d3: @y 1 - =y
            moved:
            @x 0 < @x 29 > | @y 0 < | @y 29 > | not jf:skip
            @x @y * @x + @y 2 * + 4 % 0 eq not jf:skip
            @y 30 * @x + =n
            @dist @n get -1 eq jf:skip
            @dist @n @d 1 + set
            @q @n push
            skip: @dir 1 + =dir loop:nb
          nbend:
          loop:visit
        done:
        @reached $reached:_ @far $farthest:_ @dist 899 get $corner:_
        # a list used as a sorted set: insert keeps it sorted, pop takes the largest
        list =s 0 =i
        fill: @i 60 < jf:fillend
          @i 37 * 101 % =v 0 =k
          find: @k @s len < jf:put @s @k get @v < jf:put @k 1 + =k loop:find
          put: @s @k @v ins
          @i 1 + =i loop:fill
        fillend:
        @s pop $largest:_ @s pop $next:_ @s popf $smallest:_ @s len $left:_
        @far halt",
    )
}

fn run(label: Str, src: Str) {
    let prog = assemble(src);
    let vm = Gc::new(Vm {
        stack: GcList::new(),
        locals: GcArray::new(prog.nlocals, Value::Nil),
        dict: GcMap::new(),
        empty: Gc::new(Shape { id: 0, index: GcMap::new(), names: GcList::new(), transitions: GcMap::new() }),
        shapes: Mut::new(1),
    });
    let result = interpret(prog, vm);
    print(
        label
            .concat(Str::from(" halted with "))
            .concat(show(result))
            .concat(Str::from("; shapes created: "))
            .concat(Str::from_i64(vm.shapes.get()))
            .concat(Str::from("; stack depth "))
            .concat(Str::from_u64(vm.stack.len() as u64))
            .concat(Str::from("\n")),
    );
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    run(Str::from("particles"), particles());
    run(Str::from("bfs"), bfs());
    0
}
