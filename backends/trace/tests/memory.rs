//! Field, array and string accesses on Rust-allocated fake objects; out-of-bounds paths.

mod common;

use common::*;
use vmkit_jit_ir::ops::{BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{GuardKind, OpKind, Operand, Trace};

fn bytes_of(words: &[u64]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

fn words_of(bytes: &[u8]) -> Vec<u64> {
    bytes
        .chunks(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

#[test]
fn getfield_every_type() {
    let mut bytes = vec![0u8; 64];
    bytes[3] = 1;
    bytes[5] = 0xfe;
    bytes[8..12].copy_from_slice(&0x9abc_def0u32.to_le_bytes());
    bytes[16..24].copy_from_slice(&(-3i64).to_le_bytes());
    bytes[24..32].copy_from_slice(&1.25f64.to_le_bytes());
    bytes[32..40].copy_from_slice(&0x7fff_1234_5678u64.to_le_bytes());
    let mut obj = words_of(&bytes);
    let fields = [
        (3, Ty::Bool, 1u64),
        (5, Ty::Int(IntTy::U8), 0xfe),
        (8, Ty::Int(IntTy::U32), 0x9abc_def0),
        (8, Ty::Int(IntTy::I32), 0x9abc_def0u32 as i32 as i64 as u64),
        (16, Ty::Int(IntTy::I64), (-3i64) as u64),
        (16, Ty::Int(IntTy::U64), (-3i64) as u64),
        (16, Ty::Int(IntTy::Usize), (-3i64) as u64),
        (24, Ty::F64, 1.25f64.to_bits()),
        (32, Ty::Ref, 0x7fff_1234_5678),
    ];
    let mut b = B::new("getfields");
    let p = b.input(Kind::Ref);
    let mut outs = Vec::new();
    for (offset, ty, _) in fields {
        outs.push(v(b.op1(
            OpKind::GetField {
                offset,
                ty,
                pure: false,
            },
            vec![v(p)],
            ty.kind(),
        )));
    }
    let t = b.exit(0, outs);
    let ct = compile(&mut compiler(), &t, &env());
    let mut frame = vec![0u64; fields.len()];
    frame[0] = obj.as_mut_ptr() as u64;
    assert_eq!(run(&ct, &mut frame), 0);
    let want: Vec<u64> = fields.iter().map(|f| f.2).collect();
    assert_eq!(frame, want);
}

#[test]
fn setfield_every_type() {
    let stores = [
        (1, Ty::Bool, 1u64),
        (2, Ty::Int(IntTy::U8), 0xff),
        (4, Ty::Int(IntTy::U32), 0xffff_fffe),
        (8, Ty::Int(IntTy::I32), (-2i64) as u64),
        (16, Ty::Int(IntTy::I64), (-9i64) as u64),
        (24, Ty::F64, (-6.5f64).to_bits()),
        (32, Ty::Ref, 0x1234_5678_9abc),
        (40, Ty::Int(IntTy::Usize), 77),
        (48, Ty::Int(IntTy::U64), u64::MAX - 1),
    ];
    let mut b = B::new("setfields");
    let p = b.input(Kind::Ref);
    let vals: Vec<_> = stores.iter().map(|s| b.input(s.1.kind())).collect();
    for ((offset, ty, _), val) in stores.iter().zip(&vals) {
        b.op(
            OpKind::SetField {
                offset: *offset,
                ty: *ty,
            },
            vec![v(p), v(*val)],
            &[],
        );
    }
    // A constant stored value too.
    b.op(
        OpKind::SetField {
            offset: 56,
            ty: Ty::Int(IntTy::I32),
        },
        vec![v(p), Operand::Int(-1)],
        &[],
    );
    let t = b.exit(1, vec![]);
    let ct = compile(&mut compiler(), &t, &env());
    let mut obj = vec![0xaaaa_aaaa_aaaa_aaaau64; 8];
    let mut frame = vec![obj.as_mut_ptr() as u64];
    frame.extend(stores.iter().map(|s| s.2));
    assert_eq!(run(&ct, &mut frame), 1);
    let bytes = bytes_of(&obj);
    let mut want = vec![0xaau8; 64];
    want[1] = 1;
    want[2] = 0xff;
    want[4..8].copy_from_slice(&0xffff_fffeu32.to_le_bytes());
    want[8..12].copy_from_slice(&(-2i32).to_le_bytes());
    want[16..24].copy_from_slice(&(-9i64).to_le_bytes());
    want[24..32].copy_from_slice(&(-6.5f64).to_le_bytes());
    want[32..40].copy_from_slice(&0x1234_5678_9abcu64.to_le_bytes());
    want[40..48].copy_from_slice(&77u64.to_le_bytes());
    want[48..56].copy_from_slice(&(u64::MAX - 1).to_le_bytes());
    want[56..60].copy_from_slice(&(-1i32).to_le_bytes());
    assert_eq!(bytes, want);
}

/// A fake `GcArray`: header, width, refmask, len, then `len * width` words.
fn gc_array(width: u32, elems: &[u64]) -> Vec<u64> {
    let mut a = vec![0x2, width as u64, 0, (elems.len() / width as usize) as u64];
    a.extend_from_slice(elems);
    a
}

fn array_trace() -> Trace {
    let (w, i64t) = (2, Ty::Int(IntTy::I64));
    let mut b = B::new("arrays");
    let arr = b.input(Kind::Ref);
    let i = b.input(Kind::Int);
    let len = b.op1(OpKind::ArrayLen, vec![v(arr)], Kind::Int);
    let x = b.op1(
        OpKind::ArrayGet {
            width: w,
            word: 0,
            ty: i64t,
        },
        vec![v(arr), v(i)],
        Kind::Int,
    );
    let f = b.op1(
        OpKind::ArrayGet {
            width: w,
            word: 1,
            ty: Ty::F64,
        },
        vec![v(arr), v(i)],
        Kind::Float,
    );
    let x2 = b.op1(
        OpKind::IntBin(BinOp::Add, IntTy::I64),
        vec![v(x), v(len)],
        Kind::Int,
    );
    let f2 = b.op1(
        OpKind::FloatBin(BinOp::Mul),
        vec![v(f), Operand::Float(2.0f64.to_bits())],
        Kind::Float,
    );
    b.op(
        OpKind::ArraySet {
            width: w,
            word: 0,
            ty: i64t,
        },
        vec![v(arr), v(i), v(x2)],
        &[],
    );
    b.op(
        OpKind::ArraySet {
            width: w,
            word: 1,
            ty: Ty::F64,
        },
        vec![v(arr), v(i), v(f2)],
        &[],
    );
    b.exit(0, vec![v(len), v(x), v(f)])
}

#[test]
fn array_len_get_set() {
    let f = |x: f64| x.to_bits();
    let mut arr = gc_array(2, &[10, f(1.5), 20, f(2.5), 30, f(3.5)]);
    let ct = compile(&mut compiler(), &array_trace(), &env());
    for i in 0..3u64 {
        let mut frame = [arr.as_mut_ptr() as u64, i, 0];
        assert_eq!(run(&ct, &mut frame), 0);
        assert_eq!(frame[0], 3);
        assert_eq!(frame[1], 10 * (i + 1));
        assert_eq!(f64::from_bits(frame[2]), 1.5 + i as f64);
    }
    assert_eq!(arr[4..], [13, f(3.0), 23, f(5.0), 33, f(7.0)]);

    // A constant array reference, a constant index, a bool element of a 1-word array.
    let mut bools = gc_array(1, &[0, 1, 1]);
    let mut b = B::new("const array");
    let r = Operand::Ref(bools.as_mut_ptr() as u64);
    let len = b.op1(OpKind::ArrayLen, vec![r], Kind::Int);
    let x = b.op1(
        OpKind::ArrayGet {
            width: 1,
            word: 0,
            ty: Ty::Bool,
        },
        vec![r, Operand::Int(1)],
        Kind::Int,
    );
    b.op(
        OpKind::ArraySet {
            width: 1,
            word: 0,
            ty: Ty::Bool,
        },
        vec![r, Operand::Int(2), Operand::Int(0)],
        &[],
    );
    let t = b.exit(0, vec![v(len), v(x)]);
    let ct = compile(&mut compiler(), &t, &env());
    let mut frame = [0u64; 2];
    assert_eq!(run(&ct, &mut frame), 0);
    assert_eq!(frame, [3, 1]);
    assert_eq!(bools[4..], [0, 1, 0]);
}

/// A fake `GcList`: header, width, refmask, len, the address of the words (`words`, kept
/// alive by the caller), then room for the runtime's `Vec`.
fn gc_list(width: u32, words: &mut [u64]) -> Vec<u64> {
    let len = (words.len() / width as usize) as u64;
    vec![
        0x3,
        width as u64,
        0,
        len,
        words.as_mut_ptr() as u64,
        0,
        0,
        0,
    ]
}

/// `ListGet`/`ListSet` read the length and the storage address through the list object (at
/// `LIST_LEN_OFFSET`/`LIST_DATA_OFFSET`) at every access, and check the index.
#[test]
fn list_get_set() {
    use vmkit_jit_ir::trace::{LIST_DATA_OFFSET, LIST_LEN_OFFSET};
    assert_eq!((LIST_LEN_OFFSET, LIST_DATA_OFFSET), (24, 32));
    let f = |x: f64| x.to_bits();
    let i64t = Ty::Int(IntTy::I64);
    let mut b = B::new("lists");
    let l = b.input(Kind::Ref);
    let i = b.input(Kind::Int);
    let x = b.op1(
        OpKind::ListGet {
            width: 2,
            word: 0,
            ty: i64t,
        },
        vec![v(l), v(i)],
        Kind::Int,
    );
    let y = b.op1(
        OpKind::ListGet {
            width: 2,
            word: 1,
            ty: Ty::F64,
        },
        vec![v(l), v(i)],
        Kind::Float,
    );
    let x2 = b.op1(
        OpKind::IntBin(BinOp::Mul, IntTy::I64),
        vec![v(x), Operand::Int(3)],
        Kind::Int,
    );
    b.op(
        OpKind::ListSet {
            width: 2,
            word: 0,
            ty: i64t,
        },
        vec![v(l), v(i), v(x2)],
        &[],
    );
    let t = b.exit(0, vec![v(x), v(y)]);
    let ct = compile(&mut compiler(), &t, &env());
    let mut words = vec![10, f(1.5), 20, f(2.5), 30, f(3.5)];
    let mut list = gc_list(2, &mut words);
    for i in 0..3u64 {
        let mut frame = [list.as_mut_ptr() as u64, i];
        assert_eq!(run(&ct, &mut frame), 0);
        assert_eq!(frame, [10 * (i + 1), f(1.5 + i as f64)]);
    }
    assert_eq!(words, [30, f(1.5), 60, f(2.5), 90, f(3.5)]);
    // the storage moved and the list shrank (as after calls): the same code follows
    let mut moved = vec![7, f(0.5)];
    list[3] = 1;
    list[4] = moved.as_mut_ptr() as u64;
    let mut frame = [list.as_mut_ptr() as u64, 0];
    assert_eq!(run(&ct, &mut frame), 0);
    assert_eq!(frame, [7, f(0.5)]);
    assert_eq!(moved, [21, f(0.5)]);
}

/// An index at or past a list's current length takes the runtime's reporting path.
#[test]
fn list_index_out_of_bounds() {
    if std::env::var("VMKIT_LIST_OOB").is_ok() {
        let mut c = compiler();
        let mut b = B::new("list oob");
        let l = b.input(Kind::Ref);
        let i = b.input(Kind::Int);
        let x = b.op1(
            OpKind::ListGet {
                width: 1,
                word: 0,
                ty: Ty::Int(IntTy::I64),
            },
            vec![v(l), v(i)],
            Kind::Int,
        );
        let t = b.exit(0, vec![v(x)]);
        let ct = compile(&mut c, &t, &env());
        let mut words = vec![1, 2];
        let mut list = gc_list(1, &mut words);
        let mut frame = [list.as_mut_ptr() as u64, 2];
        run(&ct, &mut frame);
        unreachable!("out-of-bounds access returned");
    }
    let (code, err) = run_child("list_index_out_of_bounds", &[("VMKIT_LIST_OOB", "1")]);
    assert_eq!(code, Some(101), "{err}");
    assert!(err.contains("array_get: index 2 out of bounds"), "{err}");
}

/// A fake `Str`: header, len, bytes.
fn fake_str(s: &[u8]) -> Vec<u64> {
    let mut bytes = s.to_vec();
    bytes.resize(s.len().div_ceil(8) * 8, 0);
    let mut w = vec![0x1, s.len() as u64];
    w.extend(words_of(&bytes));
    w
}

#[test]
fn str_len_and_bytes() {
    let text = b"hello\xff world";
    let mut s = fake_str(text);
    let mut b = B::new("str");
    let p = b.input(Kind::Ref);
    let i = b.input(Kind::Int);
    let len = b.op1(OpKind::StrLen, vec![v(p)], Kind::Int);
    let c = b.op1(OpKind::StrByteAt, vec![v(p), v(i)], Kind::Int);
    let t = b.exit(0, vec![v(len), v(c)]);
    let ct = compile(&mut compiler(), &t, &env());
    for (i, &byte) in text.iter().enumerate() {
        let mut frame = [s.as_mut_ptr() as u64, i as u64];
        assert_eq!(run(&ct, &mut frame), 0);
        assert_eq!(frame, [text.len() as u64, byte as u64]);
    }
}

/// Out-of-bounds accesses call the runtime's reporting functions (which exit): in a child.
#[test]
fn out_of_bounds_paths() {
    if in_child() {
        let what = std::env::var("VMKIT_OOB").unwrap();
        let mut c = compiler();
        let mut frame = [0u64; 3];
        let (mut arr, mut s) = (gc_array(2, &[1, 2, 3, 4]), fake_str(b"abc"));
        let t = match what.as_str() {
            "get" => {
                frame[..2].copy_from_slice(&[arr.as_mut_ptr() as u64, 2]);
                array_trace()
            }
            "get-negative" => {
                frame[..2].copy_from_slice(&[arr.as_mut_ptr() as u64, u64::MAX]);
                array_trace()
            }
            "set" => {
                let mut b = B::new("set");
                let a = b.input(Kind::Ref);
                let i = b.input(Kind::Int);
                let ty = Ty::Int(IntTy::I64);
                // Three stores sharing one slow path: the failing one is reported.
                for (idx, val) in [(Operand::Int(1), 55), (v(i), 77), (Operand::Int(0), 66)] {
                    b.op(
                        OpKind::ArraySet {
                            width: 2,
                            word: 0,
                            ty,
                        },
                        vec![v(a), idx, Operand::Int(val)],
                        &[],
                    );
                }
                frame[..2].copy_from_slice(&[arr.as_mut_ptr() as u64, 5]);
                b.exit(0, vec![])
            }
            _ => {
                let mut b = B::new("str");
                let p = b.input(Kind::Ref);
                let c = b.op1(OpKind::StrByteAt, vec![v(p), Operand::Int(3)], Kind::Int);
                frame[0] = s.as_mut_ptr() as u64;
                b.exit(0, vec![v(c)])
            }
        };
        let ct = compile(&mut c, &t, &env());
        run(&ct, &mut frame);
        unreachable!("out-of-bounds access returned");
    }
    for (what, msg) in [
        ("get", "array_get: index 2 out of bounds"),
        (
            "get-negative",
            "array_get: index 18446744073709551615 out of bounds",
        ),
        ("set", "array_set: index 5 out of bounds (word 0 = 77)"),
        ("str", "str_byte_at: index 3 out of bounds"),
    ] {
        let (code, err) = run_child("out_of_bounds_paths", &[("VMKIT_OOB", what)]);
        assert_eq!(code, Some(101), "{what}: {err}");
        assert!(err.contains(msg), "{what}: {err}");
    }
}

/// Array lengths never change, so a trace loads each array's length once however many
/// elements it accesses; and a comparison used only by fail arguments (like the original
/// condition of a guard the optimizer replaced) is computed only in the failure paths.
#[test]
fn length_loaded_once_and_fail_only_comparisons_stay_cold() {
    let u8t = Ty::Int(IntTy::U8);
    let mut b = B::new("cells");
    let arr = b.input(Kind::Ref);
    let i = b.input(Kind::Int);
    let get = OpKind::ArrayGet {
        width: 1,
        word: 0,
        ty: u8t,
    };
    let mut cells = Vec::new();
    for k in 0..3 {
        let ik = b.op1(
            OpKind::IntBin(BinOp::Add, IntTy::Usize),
            vec![v(i), Operand::Int(k)],
            Kind::Int,
        );
        cells.push(b.op1(get.clone(), vec![v(arr), v(ik)], Kind::Int));
    }
    // `i >= 100`, used only as a fail argument
    let far = b.op1(
        OpKind::IntCmp(BinOp::Ge, IntTy::Usize),
        vec![v(i), Operand::Int(100)],
        Kind::Int,
    );
    let zero = b.op1(
        OpKind::IntCmp(BinOp::Eq, IntTy::U8),
        vec![v(cells[1]), Operand::Int(0)],
        Kind::Int,
    );
    b.guard(GuardKind::False, 1, vec![v(zero)], vec![v(i), v(far)]);
    let t = b.exit(0, vec![v(cells[0]), v(cells[2])]);
    let mut c = compiler();
    let ct = c
        .compile(&t, &env(), None, true)
        .unwrap_or_else(|e| panic!("{e}\n{t}"));
    let text = ct.text.clone().expect("text");
    let ir = text.split("; disassembly").next().expect("ir");
    let len_loads = ir
        .lines()
        .filter(|l| l.contains("load.i64") && l.ends_with("+24"))
        .count();
    assert_eq!(len_loads, 1, "{ir}");
    // the one `icmp` of `far` (an unsigned >=) is in the guard's failure block, after the
    // guard's branch
    let uge = ir
        .lines()
        .filter(|l| l.contains(" uge ") && l.ends_with("= 100"))
        .map(|l| ir.find(l).expect("line"))
        .collect::<Vec<_>>();
    assert_eq!(uge.len(), 1, "{ir}");
    let uge = uge[0];
    let brif = ir.rfind("brif").expect("guard branch");
    assert!(uge > brif, "{ir}");
    // and the values are right on both paths
    let mut arr_words = gc_array(1, &[7, 0, 9, 0, 0]);
    let mut frame = [arr_words.as_mut_ptr() as u64, 0, 0];
    assert_eq!(run(&ct, &mut frame), 1);
    assert_eq!(frame[..2], [0, 0]);
    arr_words[5] = 5;
    let mut frame = [arr_words.as_mut_ptr() as u64, 0, 0];
    assert_eq!(run(&ct, &mut frame), 0);
    assert_eq!(frame[..2], [7, 9]);
    let mut big = gc_array(1, &vec![1u64; 200]);
    let mut frame = [big.as_mut_ptr() as u64, 150, 0];
    big[4 + 151] = 0;
    assert_eq!(run(&ct, &mut frame), 1);
    assert_eq!(frame[..2], [150, 1]);
}

/// A loop whose body keeps `arr[i]` in a register and stores it only when its guard fails
/// (a delayed store, as `opt::sink_stores` makes them): `arr[i] -= 1` until it is 0, with the
/// preamble's store on the main path and the body's in the failure path.
#[test]
fn delayed_stores_are_done_on_guard_failure() {
    use vmkit_jit_ir::trace::{DelayedStore, Var};
    let i64t = Ty::Int(IntTy::I64);
    let set = OpKind::ArraySet {
        width: 1,
        word: 0,
        ty: i64t,
    };
    let mut b = B::new("delayed");
    let arr = b.input(Kind::Ref);
    let i = b.input(Kind::Int);
    let x = b.op1(
        OpKind::ArrayGet {
            width: 1,
            word: 0,
            ty: i64t,
        },
        vec![v(arr), v(i)],
        Kind::Int,
    );
    let dec = |b: &mut B, x: Var| {
        let y = b.op1(
            OpKind::IntBin(BinOp::Sub, IntTy::I64),
            vec![v(x), Operand::Int(1)],
            Kind::Int,
        );
        let c = b.op1(
            OpKind::IntCmp(BinOp::Ne, IntTy::I64),
            vec![v(y), Operand::Int(0)],
            Kind::Int,
        );
        (y, c)
    };
    let (y, c) = dec(&mut b, x);
    b.op(set.clone(), vec![v(arr), v(i), v(y)], &[]);
    b.guard(GuardKind::True, 0, vec![v(c)], vec![v(arr), v(i)]);
    let e = b.op(OpKind::Label, vec![v(y)], &[Kind::Int])[0];
    let (y2, c2) = dec(&mut b, e);
    b.guard_with_stores(
        GuardKind::True,
        1,
        vec![v(c2)],
        vec![v(arr), v(i)],
        vec![DelayedStore {
            array: v(arr),
            index: v(i),
            value: v(y2),
            width: 1,
            word: 0,
            ty: i64t,
            field: None,
        }],
    );
    let t = b.jump(vec![v(y2)]);
    t.verify().expect("valid");
    assert!(t.to_string().contains("delayed {arrayset.i64[0/1]"), "{t}");
    let ct = compile(&mut compiler(), &t, &env());
    for (start, guard) in [(1u64, 0u32), (2, 1), (7, 1)] {
        let mut arr_mem = gc_array(1, &[99, start, 98]);
        let mut frame = [arr_mem.as_mut_ptr() as u64, 1, 0];
        assert_eq!(run(&ct, &mut frame), guard, "start {start}");
        // the element is 0 in memory either way; its neighbours are untouched
        assert_eq!(arr_mem[4..], [99, 0, 98], "start {start}");
    }
}
