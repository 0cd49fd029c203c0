//! Opcode numbers, operator kinds and code flags of pyvm bytecode.
//!
//! This is the single source of truth for the numbers in `docs/bytecode.md`; the interpreter
//! mirrors them as `pub const NAME: i64 = n;` lines in `interp-python/src/opcode.rs`, and the
//! test at the bottom of this file checks that both lists agree.

macro_rules! opcodes {
    ($($name:ident = $num:expr, $sname:expr;)*) => {
        /// A pyvm instruction opcode (see the table in `docs/bytecode.md`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u8)]
        pub enum Op {
            $($name = $num,)*
        }

        impl Op {
            /// Every opcode, in table order.
            pub const ALL: &'static [Op] = &[$(Op::$name,)*];

            /// The opcode's name as written in `docs/bytecode.md`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Op::$name => $sname,)*
                }
            }

            /// Decodes an opcode number.
            pub fn from_number(n: i64) -> Option<Op> {
                match n {
                    $(x if x == $num => Some(Op::$name),)*
                    _ => None,
                }
            }
        }
    };
}

opcodes! {
    NOP = 0, "NOP";
    POP_TOP = 1, "POP_TOP";
    ROT_TWO = 2, "ROT_TWO";
    ROT_THREE = 3, "ROT_THREE";
    ROT_FOUR = 4, "ROT_FOUR";
    DUP_TOP = 5, "DUP_TOP";
    DUP_TOP_TWO = 6, "DUP_TOP_TWO";
    LOAD_CONST = 10, "LOAD_CONST";
    LOAD_FAST = 11, "LOAD_FAST";
    STORE_FAST = 12, "STORE_FAST";
    DELETE_FAST = 13, "DELETE_FAST";
    LOAD_DEREF = 14, "LOAD_DEREF";
    STORE_DEREF = 15, "STORE_DEREF";
    DELETE_DEREF = 16, "DELETE_DEREF";
    LOAD_CLOSURE = 17, "LOAD_CLOSURE";
    LOAD_CLASSDEREF = 18, "LOAD_CLASSDEREF";
    LOAD_NAME = 20, "LOAD_NAME";
    STORE_NAME = 21, "STORE_NAME";
    DELETE_NAME = 22, "DELETE_NAME";
    LOAD_GLOBAL = 23, "LOAD_GLOBAL";
    STORE_GLOBAL = 24, "STORE_GLOBAL";
    DELETE_GLOBAL = 25, "DELETE_GLOBAL";
    LOAD_ATTR = 26, "LOAD_ATTR";
    STORE_ATTR = 27, "STORE_ATTR";
    DELETE_ATTR = 28, "DELETE_ATTR";
    LOAD_METHOD = 29, "LOAD_METHOD";
    CALL_METHOD = 30, "CALL_METHOD";
    LOAD_ASSERTION_ERROR = 31, "LOAD_ASSERTION_ERROR";
    LOAD_BUILD_CLASS = 32, "LOAD_BUILD_CLASS";
    BINARY_OP = 40, "BINARY_OP";
    INPLACE_OP = 41, "INPLACE_OP";
    UNARY_POSITIVE = 42, "UNARY_POSITIVE";
    UNARY_NEGATIVE = 43, "UNARY_NEGATIVE";
    UNARY_NOT = 44, "UNARY_NOT";
    UNARY_INVERT = 45, "UNARY_INVERT";
    COMPARE_OP = 46, "COMPARE_OP";
    IS_OP = 47, "IS_OP";
    CONTAINS_OP = 48, "CONTAINS_OP";
    BINARY_SUBSCR = 49, "BINARY_SUBSCR";
    STORE_SUBSCR = 50, "STORE_SUBSCR";
    DELETE_SUBSCR = 51, "DELETE_SUBSCR";
    BUILD_SLICE = 52, "BUILD_SLICE";
    BUILD_TUPLE = 60, "BUILD_TUPLE";
    BUILD_LIST = 61, "BUILD_LIST";
    BUILD_SET = 62, "BUILD_SET";
    BUILD_MAP = 63, "BUILD_MAP";
    BUILD_STRING = 64, "BUILD_STRING";
    LIST_APPEND = 65, "LIST_APPEND";
    SET_ADD = 66, "SET_ADD";
    MAP_ADD = 67, "MAP_ADD";
    LIST_EXTEND = 68, "LIST_EXTEND";
    SET_UPDATE = 69, "SET_UPDATE";
    DICT_UPDATE = 70, "DICT_UPDATE";
    DICT_MERGE = 71, "DICT_MERGE";
    LIST_TO_TUPLE = 72, "LIST_TO_TUPLE";
    FORMAT_VALUE = 73, "FORMAT_VALUE";
    UNPACK_SEQUENCE = 74, "UNPACK_SEQUENCE";
    UNPACK_EX = 75, "UNPACK_EX";
    JUMP = 80, "JUMP";
    POP_JUMP_IF_FALSE = 81, "POP_JUMP_IF_FALSE";
    POP_JUMP_IF_TRUE = 82, "POP_JUMP_IF_TRUE";
    JUMP_IF_FALSE_OR_POP = 83, "JUMP_IF_FALSE_OR_POP";
    JUMP_IF_TRUE_OR_POP = 84, "JUMP_IF_TRUE_OR_POP";
    GET_ITER = 85, "GET_ITER";
    FOR_ITER = 86, "FOR_ITER";
    GET_YIELD_FROM_ITER = 87, "GET_YIELD_FROM_ITER";
    YIELD_VALUE = 88, "YIELD_VALUE";
    YIELD_FROM = 89, "YIELD_FROM";
    RETURN_VALUE = 90, "RETURN_VALUE";
    CALL_FUNCTION = 91, "CALL_FUNCTION";
    CALL_FUNCTION_KW = 92, "CALL_FUNCTION_KW";
    CALL_FUNCTION_EX = 93, "CALL_FUNCTION_EX";
    MAKE_FUNCTION = 94, "MAKE_FUNCTION";
    RAISE_VARARGS = 100, "RAISE_VARARGS";
    SETUP_FINALLY = 101, "SETUP_FINALLY";
    POP_BLOCK = 102, "POP_BLOCK";
    POP_EXCEPT = 103, "POP_EXCEPT";
    RERAISE = 104, "RERAISE";
    CHECK_EXC_MATCH = 105, "CHECK_EXC_MATCH";
    SETUP_WITH = 106, "SETUP_WITH";
    WITH_EXCEPT_START = 107, "WITH_EXCEPT_START";
    IMPORT_NAME = 110, "IMPORT_NAME";
    IMPORT_FROM = 111, "IMPORT_FROM";
    IMPORT_STAR = 112, "IMPORT_STAR";
    MATCH_SEQUENCE = 120, "MATCH_SEQUENCE";
    MATCH_MAPPING = 121, "MATCH_MAPPING";
    GET_LEN = 122, "GET_LEN";
    MATCH_KEYS = 123, "MATCH_KEYS";
    MATCH_CLASS = 124, "MATCH_CLASS";
    COPY_DICT_WITHOUT_KEYS = 125, "COPY_DICT_WITHOUT_KEYS";
}

/// What an instruction's argument means (for the disassembler and the checkers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// No argument (always 0).
    None,
    /// An index into `consts`.
    Const,
    /// An index into `varnames`.
    Local,
    /// A cell index (cellvars then freevars).
    Cell,
    /// An index into `names`.
    Name,
    /// An absolute instruction index.
    Jump,
    /// A `BINARY_OP`/`INPLACE_OP` kind.
    BinOp,
    /// A `COMPARE_OP` kind.
    Cmp,
    /// A plain number (counts, flags).
    Number,
}

impl Op {
    /// The kind of this instruction's argument.
    pub fn arg_kind(self) -> ArgKind {
        use Op::*;
        match self {
            LOAD_CONST => ArgKind::Const,
            LOAD_FAST | STORE_FAST | DELETE_FAST => ArgKind::Local,
            LOAD_DEREF | STORE_DEREF | DELETE_DEREF | LOAD_CLOSURE | LOAD_CLASSDEREF => {
                ArgKind::Cell
            }
            LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL
            | LOAD_ATTR | STORE_ATTR | DELETE_ATTR | LOAD_METHOD | IMPORT_NAME | IMPORT_FROM => {
                ArgKind::Name
            }
            JUMP | POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE | JUMP_IF_FALSE_OR_POP
            | JUMP_IF_TRUE_OR_POP | FOR_ITER | SETUP_FINALLY | SETUP_WITH => ArgKind::Jump,
            BINARY_OP | INPLACE_OP => ArgKind::BinOp,
            COMPARE_OP => ArgKind::Cmp,
            CALL_METHOD => ArgKind::Number,
            BUILD_SLICE | BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_MAP | BUILD_STRING
            | LIST_APPEND | SET_ADD | MAP_ADD | LIST_EXTEND | SET_UPDATE | DICT_UPDATE
            | DICT_MERGE | FORMAT_VALUE | UNPACK_SEQUENCE | UNPACK_EX | CALL_FUNCTION
            | CALL_FUNCTION_KW | CALL_FUNCTION_EX | MAKE_FUNCTION | RAISE_VARARGS | IS_OP
            | CONTAINS_OP | MATCH_CLASS => ArgKind::Number,
            _ => ArgKind::None,
        }
    }

    /// True for instructions after which control never falls through to the next one.
    pub fn is_terminator(self) -> bool {
        matches!(
            self,
            Op::JUMP | Op::RETURN_VALUE | Op::RAISE_VARARGS | Op::RERAISE
        )
    }
}

/// `BINARY_OP` / `INPLACE_OP` kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum BinOp {
    Add = 0,
    Sub = 1,
    Mul = 2,
    TrueDiv = 3,
    FloorDiv = 4,
    Mod = 5,
    Pow = 6,
    LShift = 7,
    RShift = 8,
    And = 9,
    Or = 10,
    Xor = 11,
    MatMul = 12,
}

impl BinOp {
    /// Every kind, in number order.
    pub const ALL: &'static [BinOp] = &[
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::TrueDiv,
        BinOp::FloorDiv,
        BinOp::Mod,
        BinOp::Pow,
        BinOp::LShift,
        BinOp::RShift,
        BinOp::And,
        BinOp::Or,
        BinOp::Xor,
        BinOp::MatMul,
    ];

    /// The Python operator symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
            BinOp::MatMul => "@",
        }
    }

    /// The name of the interpreter's mirror constant (`OP_ADD`...).
    pub fn const_name(self) -> &'static str {
        match self {
            BinOp::Add => "OP_ADD",
            BinOp::Sub => "OP_SUB",
            BinOp::Mul => "OP_MUL",
            BinOp::TrueDiv => "OP_TRUEDIV",
            BinOp::FloorDiv => "OP_FLOORDIV",
            BinOp::Mod => "OP_MOD",
            BinOp::Pow => "OP_POW",
            BinOp::LShift => "OP_LSHIFT",
            BinOp::RShift => "OP_RSHIFT",
            BinOp::And => "OP_AND",
            BinOp::Or => "OP_OR",
            BinOp::Xor => "OP_XOR",
            BinOp::MatMul => "OP_MATMUL",
        }
    }
}

/// `COMPARE_OP` kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum CmpOp {
    Lt = 0,
    Le = 1,
    Eq = 2,
    Ne = 3,
    Gt = 4,
    Ge = 5,
}

impl CmpOp {
    /// Every kind, in number order.
    pub const ALL: &'static [CmpOp] = &[
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Gt,
        CmpOp::Ge,
    ];

    /// The Python operator symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// The name of the interpreter's mirror constant (`CMP_LT`...).
    pub fn const_name(self) -> &'static str {
        match self {
            CmpOp::Lt => "CMP_LT",
            CmpOp::Le => "CMP_LE",
            CmpOp::Eq => "CMP_EQ",
            CmpOp::Ne => "CMP_NE",
            CmpOp::Gt => "CMP_GT",
            CmpOp::Ge => "CMP_GE",
        }
    }
}

/// Code flag: a function (fast locals).
pub const CO_OPTIMIZED: i64 = 0x01;
/// Code flag: has `*args`.
pub const CO_VARARGS: i64 = 0x04;
/// Code flag: has `**kwargs`.
pub const CO_VARKEYWORDS: i64 = 0x08;
/// Code flag: a generator function.
pub const CO_GENERATOR: i64 = 0x20;
/// Code flag (pyvm-specific): a class body.
pub const CO_CLASS_BODY: i64 = 0x100;

/// Every named number the interpreter must mirror: (name, value).
pub fn all_named_numbers() -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = Op::ALL
        .iter()
        .map(|op| (op.name().to_string(), *op as i64))
        .collect();
    v.extend(
        BinOp::ALL
            .iter()
            .map(|k| (k.const_name().to_string(), *k as i64)),
    );
    v.extend(
        CmpOp::ALL
            .iter()
            .map(|k| (k.const_name().to_string(), *k as i64)),
    );
    for (n, x) in [
        ("CO_OPTIMIZED", CO_OPTIMIZED),
        ("CO_VARARGS", CO_VARARGS),
        ("CO_VARKEYWORDS", CO_VARKEYWORDS),
        ("CO_GENERATOR", CO_GENERATOR),
        ("CO_CLASS_BODY", CO_CLASS_BODY),
    ] {
        v.push((n.to_string(), x));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The interpreter's mirror (`interp-python/src/opcode.rs`) must list exactly the same
    /// names and numbers. Its absence is a failure, not a skip.
    #[test]
    fn interpreter_mirror_agrees() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../src/opcode.rs");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!("the interpreter's opcode mirror {path} is missing ({e}); it must exist and list every opcode")
        });
        let mut theirs: BTreeMap<String, i64> = BTreeMap::new();
        for line in text.lines() {
            let line = line.trim();
            let Some(rest) = line.strip_prefix("pub const ") else {
                continue;
            };
            let Some((name, rest)) = rest.split_once(':') else {
                continue;
            };
            let Some((_, value)) = rest.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_end_matches(';').trim();
            let parsed = if let Some(h) = value.strip_prefix("0x") {
                i64::from_str_radix(h, 16)
            } else {
                value.parse::<i64>()
            };
            let n = parsed.unwrap_or_else(|_| panic!("cannot parse the value in `{line}`"));
            theirs.insert(name.trim().to_string(), n);
        }
        let mut problems = Vec::new();
        for (name, n) in all_named_numbers() {
            match theirs.remove(&name) {
                None => problems.push(format!("{name} = {n} is missing in the interpreter")),
                Some(m) if m != n => {
                    problems.push(format!("{name}: compiler {n}, interpreter {m}"))
                }
                Some(_) => {}
            }
        }
        for (name, n) in theirs {
            problems.push(format!("{name} = {n} exists only in the interpreter"));
        }
        assert!(
            problems.is_empty(),
            "opcode mirrors disagree:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn numbers_are_unique_and_decodable() {
        let mut seen = std::collections::HashSet::new();
        for op in Op::ALL {
            assert!(
                seen.insert(*op as i64),
                "duplicate number for {}",
                op.name()
            );
            assert_eq!(Op::from_number(*op as i64), Some(*op));
        }
        assert_eq!(Op::from_number(7), None);
    }
}
