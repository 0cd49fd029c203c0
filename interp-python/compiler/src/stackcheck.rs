//! A verifier for compiled code: simulates the value-stack and block-stack depth along every
//! path (fallthrough, jumps, exception handlers) and reports any instruction reached with two
//! different depths, a stack underflow, a bad jump target, or a `RETURN_VALUE` that does not
//! leave exactly the return value with no open block.

use crate::code::{CodeObject, Const};
use crate::opcode::Op;

/// (values read, net effect on fallthrough, net effect when jumping; None = no jump).
fn effect(op: Op, arg: i64) -> (i64, i64, Option<i64>) {
    use Op::*;
    let n = arg;
    match op {
        NOP => (0, 0, None),
        POP_TOP => (1, -1, None),
        ROT_TWO => (2, 0, None),
        ROT_THREE => (3, 0, None),
        ROT_FOUR => (4, 0, None),
        DUP_TOP => (1, 1, None),
        DUP_TOP_TWO => (2, 2, None),
        LOAD_CONST | LOAD_FAST | LOAD_DEREF | LOAD_CLOSURE | LOAD_CLASSDEREF | LOAD_NAME
        | LOAD_GLOBAL | LOAD_ASSERTION_ERROR | LOAD_BUILD_CLASS | IMPORT_NAME => (0, 1, None),
        STORE_FAST | STORE_DEREF | STORE_NAME | STORE_GLOBAL => (1, -1, None),
        DELETE_FAST | DELETE_DEREF | DELETE_NAME | DELETE_GLOBAL => (0, 0, None),
        LOAD_ATTR => (1, 0, None),
        STORE_ATTR => (2, -2, None),
        DELETE_ATTR => (1, -1, None),
        LOAD_METHOD => (1, 1, None),
        CALL_METHOD => (n + 2, -(n + 1), None),
        BINARY_OP | INPLACE_OP | COMPARE_OP | IS_OP | CONTAINS_OP | BINARY_SUBSCR => (2, -1, None),
        UNARY_POSITIVE | UNARY_NEGATIVE | UNARY_NOT | UNARY_INVERT => (1, 0, None),
        STORE_SUBSCR => (3, -3, None),
        DELETE_SUBSCR => (2, -2, None),
        BUILD_SLICE => (n, 1 - n, None),
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING => (n, 1 - n, None),
        BUILD_MAP => (2 * n, 1 - 2 * n, None),
        LIST_APPEND | SET_ADD | LIST_EXTEND | SET_UPDATE | DICT_UPDATE => (n + 1, -1, None),
        DICT_MERGE => (n + 3, -1, None),
        MAP_ADD => (n + 2, -2, None),
        LIST_TO_TUPLE => (1, 0, None),
        FORMAT_VALUE => {
            if n & 4 != 0 {
                (2, -1, None)
            } else {
                (1, 0, None)
            }
        }
        UNPACK_SEQUENCE => (1, n - 1, None),
        UNPACK_EX => (1, (n & 0xff) + (n >> 8), None),
        JUMP => (0, 0, Some(0)),
        POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE => (1, -1, Some(-1)),
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => (1, -1, Some(0)),
        GET_ITER | GET_YIELD_FROM_ITER => (1, 0, None),
        FOR_ITER => (1, 1, Some(-1)),
        YIELD_VALUE => (1, 0, None),
        YIELD_FROM => (2, -1, None),
        RETURN_VALUE => (1, -1, None),
        CALL_FUNCTION => (n + 1, -n, None),
        CALL_FUNCTION_KW => (n + 2, -(n + 1), None),
        CALL_FUNCTION_EX => (2 + n, -(1 + n), None),
        MAKE_FUNCTION => {
            let extra = (n & 0xf).count_ones() as i64;
            (1 + extra, -extra, None)
        }
        RAISE_VARARGS => (n, -n, None),
        SETUP_FINALLY => (0, 0, Some(1)),
        POP_BLOCK | POP_EXCEPT => (0, 0, None),
        RERAISE => (1, -1, None),
        CHECK_EXC_MATCH => (2, 0, None),
        SETUP_WITH => (1, 1, Some(1)),
        WITH_EXCEPT_START => (2, 1, None),
        IMPORT_FROM => (1, 1, None),
        IMPORT_STAR => (1, -1, None),
        MATCH_SEQUENCE | MATCH_MAPPING | GET_LEN => (1, 1, None),
        MATCH_KEYS => (2, 1, None),
        MATCH_CLASS => (3, -2, None),
        COPY_DICT_WITHOUT_KEYS => (2, 0, None),
    }
}

/// Block-stack effect: (fallthrough, at the jump target).
fn block_effect(op: Op) -> (i64, i64) {
    match op {
        Op::SETUP_FINALLY | Op::SETUP_WITH => (1, 1),
        Op::POP_BLOCK | Op::POP_EXCEPT => (-1, -1),
        _ => (0, 0),
    }
}

/// Checks one code object (not its nested ones); returns the maximum stack depth.
pub fn check_code(code: &CodeObject) -> Result<usize, String> {
    let n = code.instrs.len();
    let mut depth: Vec<Option<(i64, i64)>> = vec![None; n];
    let mut work = vec![(0usize, 0i64, 0i64)];
    let mut max = 0i64;
    let at = |i: usize| {
        format!(
            "{} (qualname {}) at instruction {}",
            code.name, code.qualname, i
        )
    };
    while let Some((i, d, b)) = work.pop() {
        if i >= n {
            return Err(format!("{}: control runs past the end", at(i)));
        }
        match depth[i] {
            Some(prev) if prev == (d, b) => continue,
            Some(prev) => {
                return Err(format!(
                    "{}: reached with stack/block depth {:?} and {:?}",
                    at(i),
                    prev,
                    (d, b)
                ))
            }
            None => depth[i] = Some((d, b)),
        }
        let ins = code.instrs[i];
        let (reads, fall, jump) = effect(ins.op, ins.arg);
        if ins.arg < 0 {
            return Err(format!("{}: negative argument", at(i)));
        }
        if d < reads {
            return Err(format!(
                "{}: {} reads {} values with depth {}",
                at(i),
                ins.op.name(),
                reads,
                d
            ));
        }
        let (bfall, bjump) = block_effect(ins.op);
        if b + bfall < 0 {
            return Err(format!("{}: {} with no block open", at(i), ins.op.name()));
        }
        max = max.max(d + fall).max(d + jump.unwrap_or(0));
        if ins.op == Op::RETURN_VALUE && (d != 1 || b != 0) {
            return Err(format!(
                "{}: RETURN_VALUE with stack depth {d} and {b} open blocks",
                at(i)
            ));
        }
        if let Some(j) = jump {
            let t = ins.arg as usize;
            if ins.arg < 0 || t >= n {
                return Err(format!("{}: jump target {} out of range", at(i), ins.arg));
            }
            work.push((t, d + j, b + bjump));
        }
        if !ins.op.is_terminator() {
            work.push((i + 1, d + fall, b + bfall));
        }
    }
    Ok(max.max(0) as usize)
}

/// Checks a code object and every code object nested in its constants.
pub fn check_all(code: &CodeObject) -> Result<(), String> {
    check_code(code)?;
    for c in &code.consts {
        if let Const::Code(inner) = c {
            check_all(inner)?;
        }
    }
    Ok(())
}
