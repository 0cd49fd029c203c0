//! Built-in functions and the methods of built-in types.
//!
//! Every built-in callable is a `Kind::Builtin(id, receiver)` object; [`call_builtin`]
//! dispatches on the id. Methods are registered in their class's dict (with no receiver) by
//! [`install`], so they are found along the MRO like Python methods and bound on access.

use crate::args::{arg_or, kwarg, npos};
use crate::bigint;
use crate::call;
use crate::exc::*;
use crate::iter;
use crate::object::*;
use crate::ops;
use crate::ops::IntView;
use crate::strs;
use crate::types::*;
use vmkit::io;
use vmkit::{Gc, GcArray, GcList, GcMap, Mut, Str, StrBuilder};

// Global functions.
pub const B_PRINT: i64 = 0;
pub const B_LEN: i64 = 1;
pub const B_REPR: i64 = 2;
pub const B_ABS: i64 = 3;
pub const B_MIN: i64 = 4;
pub const B_MAX: i64 = 5;
pub const B_SUM: i64 = 6;
pub const B_SORTED: i64 = 7;
pub const B_ISINSTANCE: i64 = 9;
pub const B_ISSUBCLASS: i64 = 10;
pub const B_HASH: i64 = 11;
pub const B_ID: i64 = 12;
pub const B_ITER: i64 = 13;
pub const B_NEXT: i64 = 14;
pub const B_ANY: i64 = 15;
pub const B_ALL: i64 = 16;
pub const B_CHR: i64 = 17;
pub const B_ORD: i64 = 18;
pub const B_DIVMOD: i64 = 19;
pub const B_POW: i64 = 20;
pub const B_ROUND: i64 = 21;
pub const B_HEX: i64 = 22;
pub const B_OCT: i64 = 23;
pub const B_BIN: i64 = 24;
pub const B_GETATTR: i64 = 25;
pub const B_SETATTR: i64 = 26;
pub const B_HASATTR: i64 = 27;
pub const B_DELATTR: i64 = 28;
pub const B_CALLABLE: i64 = 29;
pub const B_INPUT: i64 = 30;
pub const B_OPEN: i64 = 31;
pub const B_BUILD_CLASS: i64 = 32;
pub const B_GLOBALS: i64 = 33;
pub const B_VARS: i64 = 34;
pub const B_FORMAT: i64 = 35;
pub const B_ASCII: i64 = 36;
pub const B_DIR: i64 = 37;
pub const B_LOCALS: i64 = 38;
pub const B_IMPORT: i64 = 39;
// str
pub const S_JOIN: i64 = 100;
pub const S_SPLIT: i64 = 101;
pub const S_STRIP: i64 = 102;
pub const S_LSTRIP: i64 = 103;
pub const S_RSTRIP: i64 = 104;
pub const S_REPLACE: i64 = 105;
pub const S_FIND: i64 = 106;
pub const S_RFIND: i64 = 107;
pub const S_INDEX: i64 = 108;
pub const S_RINDEX: i64 = 109;
pub const S_STARTSWITH: i64 = 110;
pub const S_ENDSWITH: i64 = 111;
pub const S_UPPER: i64 = 112;
pub const S_LOWER: i64 = 113;
pub const S_FORMAT: i64 = 114;
pub const S_COUNT: i64 = 115;
pub const S_ISDIGIT: i64 = 116;
pub const S_ISALPHA: i64 = 117;
pub const S_ISSPACE: i64 = 118;
pub const S_ISALNUM: i64 = 119;
pub const S_ISUPPER: i64 = 120;
pub const S_ISLOWER: i64 = 121;
pub const S_TITLE: i64 = 122;
pub const S_CAPITALIZE: i64 = 123;
pub const S_CENTER: i64 = 124;
pub const S_LJUST: i64 = 125;
pub const S_RJUST: i64 = 126;
pub const S_ZFILL: i64 = 127;
pub const S_ENCODE: i64 = 128;
pub const S_SPLITLINES: i64 = 129;
pub const S_PARTITION: i64 = 130;
pub const S_RPARTITION: i64 = 131;
pub const S_SWAPCASE: i64 = 132;
pub const S_RSPLIT: i64 = 133;
pub const S_TRANSLATE: i64 = 134;
pub const S_MAKETRANS: i64 = 135;
pub const S_CASEFOLD: i64 = 136;
pub const S_EXPANDTABS: i64 = 137;
pub const S_ISIDENTIFIER: i64 = 138;
pub const S_ISDECIMAL: i64 = 139;
pub const S_ISNUMERIC: i64 = 140;
pub const S_ISTITLE: i64 = 141;
pub const S_REMOVEPREFIX: i64 = 142;
pub const S_REMOVESUFFIX: i64 = 143;
pub const S_ISPRINTABLE: i64 = 144;
pub const S_ISASCII: i64 = 145;
pub const S_FORMAT_MAP: i64 = 146;
// list
pub const L_APPEND: i64 = 200;
pub const L_EXTEND: i64 = 201;
pub const L_POP: i64 = 202;
pub const L_INSERT: i64 = 203;
pub const L_REMOVE: i64 = 204;
pub const L_INDEX: i64 = 205;
pub const L_COUNT: i64 = 206;
pub const L_SORT: i64 = 207;
pub const L_REVERSE: i64 = 208;
pub const L_COPY: i64 = 209;
pub const L_CLEAR: i64 = 210;
pub const L_INIT: i64 = 211;
// dict
pub const D_GET: i64 = 300;
pub const D_KEYS: i64 = 301;
pub const D_VALUES: i64 = 302;
pub const D_ITEMS: i64 = 303;
pub const D_POP: i64 = 304;
pub const D_SETDEFAULT: i64 = 305;
pub const D_UPDATE: i64 = 306;
pub const D_COPY: i64 = 307;
pub const D_CLEAR: i64 = 308;
pub const D_POPITEM: i64 = 309;
pub const D_FROMKEYS: i64 = 310;
pub const D_INIT: i64 = 311;
// set
pub const SET_ADD: i64 = 400;
pub const SET_REMOVE: i64 = 401;
pub const SET_DISCARD: i64 = 402;
pub const SET_POP: i64 = 403;
pub const SET_UNION: i64 = 404;
pub const SET_INTERSECTION: i64 = 405;
pub const SET_DIFFERENCE: i64 = 406;
pub const SET_SYMDIFF: i64 = 407;
pub const SET_ISSUBSET: i64 = 408;
pub const SET_ISSUPERSET: i64 = 409;
pub const SET_ISDISJOINT: i64 = 410;
pub const SET_COPY: i64 = 411;
pub const SET_CLEAR: i64 = 412;
pub const SET_UPDATE: i64 = 413;
pub const SET_INTERSECTION_UPDATE: i64 = 414;
pub const SET_DIFFERENCE_UPDATE: i64 = 415;
pub const SET_SYMDIFF_UPDATE: i64 = 416;
// tuple
pub const T_INDEX_M: i64 = 500;
pub const T_COUNT_M: i64 = 501;
// int / float
pub const I_BIT_LENGTH: i64 = 600;
pub const I_TO_BYTES: i64 = 601;
pub const I_FROM_BYTES: i64 = 602;
pub const I_BIT_COUNT: i64 = 603;
pub const I_AS_RATIO: i64 = 604;
pub const I_CONJUGATE: i64 = 605;
pub const F_IS_INTEGER: i64 = 650;
pub const F_AS_RATIO: i64 = 651;
pub const F_HEX: i64 = 652;
pub const F_FROMHEX: i64 = 653;
// generator
pub const G_SEND: i64 = 700;
pub const G_THROW: i64 = 701;
pub const G_CLOSE: i64 = 702;
// object
pub const O_INIT: i64 = 800;
pub const O_NEW: i64 = 801;
pub const O_SETATTR: i64 = 802;
pub const O_GETATTRIBUTE: i64 = 803;
pub const O_EQ: i64 = 804;
pub const O_NE: i64 = 805;
pub const O_HASH: i64 = 806;
pub const O_REPR: i64 = 807;
pub const O_STR: i64 = 808;
pub const O_INIT_SUBCLASS: i64 = 809;
pub const O_DELATTR: i64 = 810;
pub const O_FORMAT: i64 = 811;
/// `__new__` of a built-in type: the receiver is that type.
pub const O_BUILTIN_NEW: i64 = 812;
// exceptions
pub const E_INIT: i64 = 850;
pub const E_WITH_TRACEBACK: i64 = 851;
// files
pub const F_READ: i64 = 900;
pub const F_WRITE: i64 = 901;
pub const F_READLINE: i64 = 902;
pub const F_READLINES: i64 = 903;
pub const F_CLOSE: i64 = 904;
pub const F_ENTER: i64 = 905;
pub const F_EXIT: i64 = 906;
pub const F_SEEK: i64 = 907;
pub const F_TELL: i64 = 908;
pub const F_WRITELINES: i64 = 909;
pub const F_FLUSH: i64 = 910;
// bytes
pub const BY_DECODE: i64 = 950;
pub const BY_HEX: i64 = 951;
pub const BY_FROMHEX: i64 = 952;
pub const BY_MAKETRANS: i64 = 953;
pub const BY_TRANSLATE: i64 = 954;
pub const BA_APPEND: i64 = 970;
pub const BA_EXTEND: i64 = 971;
pub const BA_POP: i64 = 972;
pub const BA_INSERT: i64 = 973;
pub const BA_REVERSE: i64 = 974;
pub const BA_CLEAR: i64 = 975;
pub const BA_REMOVE: i64 = 976;
pub const R_INDEX: i64 = 980;
pub const R_COUNT: i64 = 981;
pub const SL_INDICES: i64 = 985;
// iterators
pub const IT_NEXT: i64 = 990;
pub const IT_ITER: i64 = 991;
pub const TY_MRO: i64 = 995;
// Special methods of built-in types (the built-in behaviour, for `super()` and `list.__len__`).
pub const X_LEN: i64 = 510;
pub const X_GETITEM: i64 = 511;
pub const X_SETITEM: i64 = 512;
pub const X_DELITEM: i64 = 513;
pub const X_CONTAINS: i64 = 514;
pub const X_ITER: i64 = 515;
pub const X_INT: i64 = 516;
pub const X_FLOAT: i64 = 517;
pub const X_BOOL: i64 = 518;
pub const X_NEG: i64 = 519;
pub const X_POS: i64 = 520;
pub const X_ABS: i64 = 521;
pub const X_INDEX: i64 = 522;
pub const X_INVERT: i64 = 523;
pub const X_TRUNC: i64 = 524;
pub const X_FLOOR: i64 = 525;
pub const X_CEIL: i64 = 526;
pub const X_ROUND: i64 = 527;
/// `__add__` ... `__matmul__`: X_BINOP + binop kind; reflected: X_RBINOP + kind.
pub const X_BINOP: i64 = 530;
pub const X_RBINOP: i64 = 545;
/// `__lt__` ... `__ge__`: X_CMP + comparison kind.
pub const X_CMP: i64 = 560;
/// Module functions start at 1000 (see `modules.rs`).
pub const MODULE_BASE: i64 = 1000;
/// Methods of bytes/bytearray that work like the str method `id - BYTES_BASE` on latin-1 text.
pub const BYTES_BASE: i64 = 3000;

pub fn builtin_name(id: i64) -> Str {
    if id >= BYTES_BASE {
        return builtin_name(id - BYTES_BASE);
    }
    if id >= MODULE_BASE {
        return crate::modules::func_name(id);
    }
    if id >= X_LEN && id < X_CMP + 6 {
        return dunder_name(id);
    }
    match id {
        B_PRINT => Str::from("print"),
        B_LEN => Str::from("len"),
        B_REPR => Str::from("repr"),
        B_ABS => Str::from("abs"),
        B_MIN => Str::from("min"),
        B_MAX => Str::from("max"),
        B_SUM => Str::from("sum"),
        B_SORTED => Str::from("sorted"),
        B_ISINSTANCE => Str::from("isinstance"),
        B_ISSUBCLASS => Str::from("issubclass"),
        B_HASH => Str::from("hash"),
        B_ID => Str::from("id"),
        B_ITER => Str::from("iter"),
        B_NEXT => Str::from("next"),
        B_ANY => Str::from("any"),
        B_ALL => Str::from("all"),
        B_CHR => Str::from("chr"),
        B_ORD => Str::from("ord"),
        B_DIVMOD => Str::from("divmod"),
        B_POW => Str::from("pow"),
        B_ROUND => Str::from("round"),
        B_HEX => Str::from("hex"),
        B_OCT => Str::from("oct"),
        B_BIN => Str::from("bin"),
        B_GETATTR => Str::from("getattr"),
        B_SETATTR => Str::from("setattr"),
        B_HASATTR => Str::from("hasattr"),
        B_DELATTR => Str::from("delattr"),
        B_CALLABLE => Str::from("callable"),
        B_INPUT => Str::from("input"),
        B_OPEN => Str::from("open"),
        B_BUILD_CLASS => Str::from("__build_class__"),
        B_GLOBALS => Str::from("globals"),
        B_VARS => Str::from("vars"),
        B_FORMAT => Str::from("format"),
        B_ASCII => Str::from("ascii"),
        B_DIR => Str::from("dir"),
        B_LOCALS => Str::from("locals"),
        B_IMPORT => Str::from("__import__"),
        S_JOIN => Str::from("join"),
        S_SPLIT => Str::from("split"),
        S_STRIP => Str::from("strip"),
        S_LSTRIP => Str::from("lstrip"),
        S_RSTRIP => Str::from("rstrip"),
        S_REPLACE => Str::from("replace"),
        S_FIND => Str::from("find"),
        S_RFIND => Str::from("rfind"),
        S_INDEX => Str::from("index"),
        S_RINDEX => Str::from("rindex"),
        S_STARTSWITH => Str::from("startswith"),
        S_ENDSWITH => Str::from("endswith"),
        S_UPPER => Str::from("upper"),
        S_LOWER => Str::from("lower"),
        S_FORMAT => Str::from("format"),
        S_COUNT => Str::from("count"),
        S_ISDIGIT => Str::from("isdigit"),
        S_ISALPHA => Str::from("isalpha"),
        S_ISSPACE => Str::from("isspace"),
        S_ISALNUM => Str::from("isalnum"),
        S_ISUPPER => Str::from("isupper"),
        S_ISLOWER => Str::from("islower"),
        S_TITLE => Str::from("title"),
        S_CAPITALIZE => Str::from("capitalize"),
        S_CENTER => Str::from("center"),
        S_LJUST => Str::from("ljust"),
        S_RJUST => Str::from("rjust"),
        S_ZFILL => Str::from("zfill"),
        S_ENCODE => Str::from("encode"),
        S_SPLITLINES => Str::from("splitlines"),
        S_PARTITION => Str::from("partition"),
        S_RPARTITION => Str::from("rpartition"),
        S_SWAPCASE => Str::from("swapcase"),
        S_RSPLIT => Str::from("rsplit"),
        S_TRANSLATE => Str::from("translate"),
        S_MAKETRANS => Str::from("maketrans"),
        S_CASEFOLD => Str::from("casefold"),
        S_EXPANDTABS => Str::from("expandtabs"),
        S_ISIDENTIFIER => Str::from("isidentifier"),
        S_ISDECIMAL => Str::from("isdecimal"),
        S_ISNUMERIC => Str::from("isnumeric"),
        S_ISTITLE => Str::from("istitle"),
        S_ISPRINTABLE => Str::from("isprintable"),
        S_ISASCII => Str::from("isascii"),
        S_FORMAT_MAP => Str::from("format_map"),
        S_REMOVEPREFIX => Str::from("removeprefix"),
        S_REMOVESUFFIX => Str::from("removesuffix"),
        L_APPEND => Str::from("append"),
        L_EXTEND => Str::from("extend"),
        L_POP => Str::from("pop"),
        L_INSERT => Str::from("insert"),
        L_REMOVE => Str::from("remove"),
        L_INDEX => Str::from("index"),
        L_COUNT => Str::from("count"),
        L_SORT => Str::from("sort"),
        L_REVERSE => Str::from("reverse"),
        L_COPY => Str::from("copy"),
        L_CLEAR => Str::from("clear"),
        L_INIT => Str::from("__init__"),
        D_GET => Str::from("get"),
        D_KEYS => Str::from("keys"),
        D_VALUES => Str::from("values"),
        D_ITEMS => Str::from("items"),
        D_POP => Str::from("pop"),
        D_SETDEFAULT => Str::from("setdefault"),
        D_UPDATE => Str::from("update"),
        D_COPY => Str::from("copy"),
        D_CLEAR => Str::from("clear"),
        D_POPITEM => Str::from("popitem"),
        D_FROMKEYS => Str::from("fromkeys"),
        D_INIT => Str::from("__init__"),
        SET_ADD => Str::from("add"),
        SET_REMOVE => Str::from("remove"),
        SET_DISCARD => Str::from("discard"),
        SET_POP => Str::from("pop"),
        SET_UNION => Str::from("union"),
        SET_INTERSECTION => Str::from("intersection"),
        SET_DIFFERENCE => Str::from("difference"),
        SET_SYMDIFF => Str::from("symmetric_difference"),
        SET_ISSUBSET => Str::from("issubset"),
        SET_ISSUPERSET => Str::from("issuperset"),
        SET_ISDISJOINT => Str::from("isdisjoint"),
        SET_COPY => Str::from("copy"),
        SET_CLEAR => Str::from("clear"),
        SET_UPDATE => Str::from("update"),
        SET_INTERSECTION_UPDATE => Str::from("intersection_update"),
        SET_DIFFERENCE_UPDATE => Str::from("difference_update"),
        SET_SYMDIFF_UPDATE => Str::from("symmetric_difference_update"),
        T_INDEX_M => Str::from("index"),
        T_COUNT_M => Str::from("count"),
        I_BIT_LENGTH => Str::from("bit_length"),
        I_TO_BYTES => Str::from("to_bytes"),
        I_FROM_BYTES => Str::from("from_bytes"),
        I_BIT_COUNT => Str::from("bit_count"),
        I_AS_RATIO => Str::from("as_integer_ratio"),
        I_CONJUGATE => Str::from("conjugate"),
        F_AS_RATIO => Str::from("as_integer_ratio"),
        F_HEX => Str::from("hex"),
        F_FROMHEX => Str::from("fromhex"),
        F_SEEK => Str::from("seek"),
        F_TELL => Str::from("tell"),
        F_WRITELINES => Str::from("writelines"),
        BY_FROMHEX => Str::from("fromhex"),
        BY_MAKETRANS => Str::from("maketrans"),
        BY_TRANSLATE => Str::from("translate"),
        BA_EXTEND => Str::from("extend"),
        BA_POP => Str::from("pop"),
        BA_INSERT => Str::from("insert"),
        BA_REVERSE => Str::from("reverse"),
        BA_CLEAR => Str::from("clear"),
        BA_REMOVE => Str::from("remove"),
        R_INDEX => Str::from("index"),
        R_COUNT => Str::from("count"),
        SL_INDICES => Str::from("indices"),
        F_IS_INTEGER => Str::from("is_integer"),
        G_SEND => Str::from("send"),
        G_THROW => Str::from("throw"),
        G_CLOSE => Str::from("close"),
        O_INIT => Str::from("__init__"),
        O_NEW => Str::from("__new__"),
        O_SETATTR => Str::from("__setattr__"),
        O_GETATTRIBUTE => Str::from("__getattribute__"),
        O_EQ => Str::from("__eq__"),
        O_NE => Str::from("__ne__"),
        O_HASH => Str::from("__hash__"),
        O_REPR => Str::from("__repr__"),
        O_STR => Str::from("__str__"),
        O_INIT_SUBCLASS => Str::from("__init_subclass__"),
        O_DELATTR => Str::from("__delattr__"),
        O_FORMAT => Str::from("__format__"),
        O_BUILTIN_NEW => Str::from("__new__"),
        E_INIT => Str::from("__init__"),
        E_WITH_TRACEBACK => Str::from("with_traceback"),
        F_READ => Str::from("read"),
        F_WRITE => Str::from("write"),
        F_READLINE => Str::from("readline"),
        F_READLINES => Str::from("readlines"),
        F_CLOSE => Str::from("close"),
        F_ENTER => Str::from("__enter__"),
        F_EXIT => Str::from("__exit__"),
        F_FLUSH => Str::from("flush"),
        BY_DECODE => Str::from("decode"),
        BY_HEX => Str::from("hex"),
        BA_APPEND => Str::from("append"),
        IT_NEXT => Str::from("__next__"),
        IT_ITER => Str::from("__iter__"),
        TY_MRO => Str::from("mro"),
        _ => Str::from("?"),
    }
}

fn dunder_name(id: i64) -> Str {
    if id >= X_CMP {
        return match id - X_CMP {
            0 => Str::from("__lt__"),
            1 => Str::from("__le__"),
            2 => Str::from("__eq__"),
            3 => Str::from("__ne__"),
            4 => Str::from("__gt__"),
            _ => Str::from("__ge__"),
        };
    }
    if id >= X_BINOP {
        let (k, r) = if id >= X_RBINOP {
            (id - X_RBINOP, true)
        } else {
            (id - X_BINOP, false)
        };
        let base = match k {
            0 => Str::from("add"),
            1 => Str::from("sub"),
            2 => Str::from("mul"),
            3 => Str::from("truediv"),
            4 => Str::from("floordiv"),
            5 => Str::from("mod"),
            6 => Str::from("pow"),
            7 => Str::from("lshift"),
            8 => Str::from("rshift"),
            9 => Str::from("and"),
            10 => Str::from("or"),
            11 => Str::from("xor"),
            _ => Str::from("matmul"),
        };
        let pre = if r { Str::from("__r") } else { Str::from("__") };
        return pre.concat(base).concat(Str::from("__"));
    }
    match id {
        X_LEN => Str::from("__len__"),
        X_GETITEM => Str::from("__getitem__"),
        X_SETITEM => Str::from("__setitem__"),
        X_DELITEM => Str::from("__delitem__"),
        X_CONTAINS => Str::from("__contains__"),
        X_ITER => Str::from("__iter__"),
        X_INT => Str::from("__int__"),
        X_FLOAT => Str::from("__float__"),
        X_BOOL => Str::from("__bool__"),
        X_NEG => Str::from("__neg__"),
        X_POS => Str::from("__pos__"),
        X_ABS => Str::from("__abs__"),
        X_INDEX => Str::from("__index__"),
        X_TRUNC => Str::from("__trunc__"),
        X_FLOOR => Str::from("__floor__"),
        X_CEIL => Str::from("__ceil__"),
        X_ROUND => Str::from("__round__"),
        _ => Str::from("__invert__"),
    }
}

/// Calls a built-in special method on `selfv`.
fn call_dunder(
    vm: Gc<Vm>,
    id: i64,
    selfv: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = npos(args, names);
    let a = if n > 0 { args.get(0) } else { Value::Null };
    let need = if id == X_SETITEM {
        2
    } else if id == X_GETITEM || id == X_DELITEM || id == X_CONTAINS || id >= X_BINOP {
        1
    } else {
        0
    };
    if n != need && id != X_ROUND {
        return type_error(
            vm,
            Str::from("expected ")
                .concat(Str::from_i64(need as i64))
                .concat(if need == 1 {
                    Str::from(" argument, got ")
                } else {
                    Str::from(" arguments, got ")
                })
                .concat(Str::from_i64(n as i64)),
        );
    }
    if id >= X_CMP {
        return ops::compare_kind(vm, id - X_CMP, selfv, a);
    }
    if id >= X_RBINOP {
        let r = ops::builtin_binop_pub(vm, id - X_RBINOP, a, selfv)?;
        return Ok(if r.is_null() { vm.not_implemented } else { r });
    }
    if id >= X_BINOP {
        let r = ops::builtin_binop_pub(vm, id - X_BINOP, selfv, a)?;
        return Ok(if r.is_null() { vm.not_implemented } else { r });
    }
    match id {
        X_LEN => Ok(Value::Int(len_of_kind(vm, selfv)?)),
        X_GETITEM => ops::getitem_kind(vm, selfv, a),
        X_SETITEM => ops::setitem_kind(vm, selfv, a, args.get(1)),
        X_DELITEM => ops::delitem_kind(vm, selfv, a),
        X_CONTAINS => Ok(Value::Bool(ops::contains_kind(vm, selfv, a)?)),
        X_ITER => iter::get_iter_kind(vm, selfv),
        X_INT | X_INDEX => match ops::int_view(selfv) {
            IntView::NotInt => to_int(vm, selfv, Value::Null),
            IntView::Small(i) => Ok(Value::Int(i)),
            IntView::Big(b) => Ok(ops::long_value(vm, b)),
        },
        X_FLOAT => Ok(Value::Float(to_float(vm, selfv)?)),
        X_BOOL => Ok(Value::Bool(ops::truthy(vm, selfv)?)),
        X_TRUNC | X_FLOOR | X_CEIL => {
            let v = strip_user(vm, selfv);
            match v {
                Value::Float(f) => {
                    let r = if id == X_FLOOR {
                        f.floor()
                    } else if id == X_CEIL {
                        f.ceil()
                    } else if f < 0.0 {
                        f.ceil()
                    } else {
                        f.floor()
                    };
                    to_int(vm, Value::Float(r), Value::Null)
                }
                _ => to_int(vm, v, Value::Null),
            }
        }
        X_ROUND => {
            let all = GcArray::new(args.len() + 1, strip_user(vm, selfv));
            for i in 0..args.len() {
                all.set(i + 1, args.get(i));
            }
            call_global(vm, B_ROUND, all, names)
        }
        X_NEG => ops::unary(vm, 1, strip_user(vm, selfv)),
        X_POS => ops::unary(vm, 0, strip_user(vm, selfv)),
        X_INVERT => ops::unary(vm, 2, strip_user(vm, selfv)),
        _ => call_global(
            vm,
            B_ABS,
            GcArray::new(1, strip_user(vm, selfv)),
            vm.no_names,
        ),
    }
}

/// The built-in value inside an instance of a user subclass of int/float (for unary dunders).
fn strip_user(vm: Gc<Vm>, v: Value) -> Value {
    let _ = vm;
    if let Value::Obj(o) = v {
        if let Kind::Long(b) = o.kind {
            return ops::long_value(vm, b);
        }
    }
    v
}

fn def_dunders(vm: Gc<Vm>, t: i64, ids: GcArray<i64>) {
    for i in 0..ids.len() {
        def(vm, t, ids.get(i));
    }
}

fn ids(list: GcList<i64>) -> GcArray<i64> {
    let a = GcArray::new(list.len(), 0i64);
    for i in 0..list.len() {
        a.set(i, list.get(i));
    }
    a
}

fn install_dunders(vm: Gc<Vm>) {
    // Containers.
    let seq: GcList<i64> = GcList::new();
    seq.push(X_LEN);
    seq.push(X_GETITEM);
    seq.push(X_CONTAINS);
    seq.push(X_ITER);
    seq.push(X_BINOP);
    seq.push(X_BINOP + 2);
    seq.push(X_RBINOP + 2);
    for c in 0..6 {
        seq.push(X_CMP + c);
    }
    let seqa = ids(seq);
    def_dunders(vm, T_STR, seqa);
    def(vm, T_STR, X_BINOP + 5);
    def_dunders(vm, T_TUPLE, seqa);
    def_dunders(vm, T_LIST, seqa);
    def(vm, T_LIST, X_SETITEM);
    def(vm, T_LIST, X_DELITEM);
    def_dunders(vm, T_BYTES, seqa);
    let m: GcList<i64> = GcList::new();
    m.push(X_LEN);
    m.push(X_GETITEM);
    m.push(X_SETITEM);
    m.push(X_DELITEM);
    m.push(X_CONTAINS);
    m.push(X_ITER);
    m.push(X_CMP + 2);
    m.push(X_CMP + 3);
    m.push(X_BINOP + 10);
    def_dunders(vm, T_DICT, ids(m));
    let st: GcList<i64> = GcList::new();
    st.push(X_LEN);
    st.push(X_CONTAINS);
    st.push(X_ITER);
    st.push(X_BINOP + 1);
    st.push(X_BINOP + 9);
    st.push(X_BINOP + 10);
    st.push(X_BINOP + 11);
    for c in 0..6 {
        st.push(X_CMP + c);
    }
    let sta = ids(st);
    def_dunders(vm, T_SET, sta);
    def_dunders(vm, T_FROZENSET, sta);
    def(vm, T_RANGE, X_LEN);
    def(vm, T_RANGE, X_GETITEM);
    def(vm, T_RANGE, X_CONTAINS);
    def(vm, T_RANGE, X_ITER);
    // Numbers.
    let num: GcList<i64> = GcList::new();
    for k in 0..7 {
        num.push(X_BINOP + k);
        num.push(X_RBINOP + k);
    }
    for c in 0..6 {
        num.push(X_CMP + c);
    }
    num.push(X_NEG);
    num.push(X_POS);
    num.push(X_ABS);
    num.push(X_BOOL);
    num.push(X_INT);
    num.push(X_FLOAT);
    let numa = ids(num);
    def_dunders(vm, T_INT, numa);
    def_dunders(vm, T_FLOAT, numa);
    for k in 7..12 {
        def(vm, T_INT, X_BINOP + k);
        def(vm, T_INT, X_RBINOP + k);
    }
    def(vm, T_INT, X_INDEX);
    let mut k = X_TRUNC;
    while k <= X_ROUND {
        def(vm, T_INT, k);
        def(vm, T_FLOAT, k);
        k += 1;
    }
    def(vm, T_INT, X_INVERT);
}

fn builtin(vm: Gc<Vm>, id: i64) -> Value {
    new_obj(ty(vm, T_BUILTIN), Kind::Builtin(id, Value::Null))
}

fn def(vm: Gc<Vm>, t: i64, id: i64) {
    let cd = class_data(ty(vm, t));
    cd.dict.insert(builtin_name(id), builtin(vm, id));
}

fn defs(vm: Gc<Vm>, t: i64, first: i64, last: i64) {
    let mut id = first;
    while id <= last {
        if builtin_name(id) != Str::from("?") {
            def(vm, t, id);
        }
        id += 1;
    }
}

/// Fills the builtins namespace and the method tables of the built-in classes.
pub fn install(vm: Gc<Vm>) {
    let mut id = B_PRINT;
    while id <= B_IMPORT {
        let name = builtin_name(id);
        if name != Str::from("?") {
            vm.builtins.insert(name, builtin(vm, id));
        }
        id += 1;
    }
    for t in 0..NTYPES {
        let c = ty(vm, t);
        let cd = class_data(c);
        let name = cd.name.get();
        if t < T_DICT_KEYS
            || t >= T_BASE_EXCEPTION
            || t == T_MAP
            || t == T_FILTER
            || t == T_ZIP
            || t == T_ENUMERATE
            || t == T_REVERSED
        {
            if t != T_FUNCTION
                && t != T_BUILTIN
                && t != T_METHOD
                && t != T_ITER
                && t != T_GENERATOR
                && t != T_MODULE
                && t != T_CELL
                && t != T_NOTIMPL
                && t != T_ELLIPSIS
                && t != T_FILE
                && t != T_CODE
                && t != T_NONE
            {
                vm.builtins.insert(name, c);
            }
        }
        cd.dict.insert(
            Str::from("__module__"),
            strs::new_str(vm, Str::from("builtins")),
        );
    }
    vm.builtins.insert(Str::from("None"), Value::Nil);
    vm.builtins.insert(Str::from("True"), Value::Bool(true));
    vm.builtins.insert(Str::from("False"), Value::Bool(false));
    vm.builtins
        .insert(Str::from("NotImplemented"), vm.not_implemented);
    vm.builtins.insert(Str::from("Ellipsis"), vm.ellipsis);
    vm.builtins.insert(Str::from("IOError"), ty(vm, T_OS_ERROR));
    vm.builtins
        .insert(Str::from("EnvironmentError"), ty(vm, T_OS_ERROR));
    defs(vm, T_STR, S_JOIN, S_FORMAT_MAP);
    let sd = class_data(ty(vm, T_STR));
    sd.dict.insert(
        Str::from("maketrans"),
        new_obj(
            ty(vm, T_STATICMETHOD),
            Kind::StaticMethod(builtin(vm, S_MAKETRANS)),
        ),
    );
    // bytes and bytearray share most str methods (on latin-1 text).
    let mut sid = S_JOIN;
    while sid <= S_FORMAT_MAP {
        let skip = sid == S_FORMAT
            || sid == S_ENCODE
            || sid == S_MAKETRANS
            || sid == S_CASEFOLD
            || sid == S_ISIDENTIFIER
            || sid == S_ISDECIMAL
            || sid == S_ISNUMERIC
            || sid == S_ISPRINTABLE
            || sid == S_FORMAT_MAP
            || sid == S_TRANSLATE;
        if !skip && builtin_name(sid) != Str::from("?") {
            let b = builtin(vm, BYTES_BASE + sid);
            class_data(ty(vm, T_BYTES))
                .dict
                .insert(builtin_name(sid), b);
            class_data(ty(vm, T_BYTEARRAY))
                .dict
                .insert(builtin_name(sid), b);
        }
        sid += 1;
    }
    class_data(ty(vm, T_BYTES)).dict.insert(
        Str::from("fromhex"),
        new_obj(
            ty(vm, T_CLASSMETHOD),
            Kind::ClassMethod(builtin(vm, BY_FROMHEX)),
        ),
    );
    class_data(ty(vm, T_BYTEARRAY)).dict.insert(
        Str::from("fromhex"),
        new_obj(
            ty(vm, T_CLASSMETHOD),
            Kind::ClassMethod(builtin(vm, BY_FROMHEX)),
        ),
    );
    defs(vm, T_BYTEARRAY, BA_APPEND, BA_REMOVE);
    def(vm, T_BYTES, BY_TRANSLATE);
    def(vm, T_BYTEARRAY, BY_TRANSLATE);
    class_data(ty(vm, T_BYTES)).dict.insert(
        Str::from("maketrans"),
        new_obj(
            ty(vm, T_STATICMETHOD),
            Kind::StaticMethod(builtin(vm, BY_MAKETRANS)),
        ),
    );
    def(vm, T_BYTEARRAY, BY_HEX);
    def(vm, T_RANGE, R_INDEX);
    def(vm, T_RANGE, R_COUNT);
    def(vm, T_SLICE, SL_INDICES);
    def(vm, T_INT, I_TO_BYTES);
    def(vm, T_INT, I_BIT_COUNT);
    def(vm, T_INT, I_AS_RATIO);
    def(vm, T_INT, I_CONJUGATE);
    class_data(ty(vm, T_INT)).dict.insert(
        Str::from("from_bytes"),
        new_obj(
            ty(vm, T_CLASSMETHOD),
            Kind::ClassMethod(builtin(vm, I_FROM_BYTES)),
        ),
    );
    def(vm, T_FLOAT, F_AS_RATIO);
    def(vm, T_FLOAT, F_HEX);
    class_data(ty(vm, T_FLOAT)).dict.insert(
        Str::from("fromhex"),
        new_obj(
            ty(vm, T_CLASSMETHOD),
            Kind::ClassMethod(builtin(vm, F_FROMHEX)),
        ),
    );
    def(vm, T_FLOAT, I_CONJUGATE);
    defs(vm, T_LIST, L_APPEND, L_INIT);
    defs(vm, T_DICT, D_GET, D_INIT);
    let fk = class_data(ty(vm, T_DICT));
    fk.dict.insert(
        Str::from("fromkeys"),
        new_obj(
            ty(vm, T_CLASSMETHOD),
            Kind::ClassMethod(builtin(vm, D_FROMKEYS)),
        ),
    );
    defs(vm, T_SET, SET_ADD, SET_SYMDIFF_UPDATE);
    defs(vm, T_FROZENSET, SET_UNION, SET_COPY);
    defs(vm, T_TUPLE, T_INDEX_M, T_COUNT_M);
    def(vm, T_INT, I_BIT_LENGTH);
    def(vm, T_FLOAT, F_IS_INTEGER);
    defs(vm, T_GENERATOR, G_SEND, G_CLOSE);
    def(vm, T_GENERATOR, IT_NEXT);
    def(vm, T_GENERATOR, IT_ITER);
    defs(vm, T_OBJECT, O_INIT, O_FORMAT);
    let od = class_data(ty(vm, T_OBJECT));
    od.dict.insert(
        Str::from("__new__"),
        new_obj(
            ty(vm, T_STATICMETHOD),
            Kind::StaticMethod(builtin(vm, O_NEW)),
        ),
    );
    od.dict.insert(
        Str::from("__init_subclass__"),
        new_obj(
            ty(vm, T_CLASSMETHOD),
            Kind::ClassMethod(builtin(vm, O_INIT_SUBCLASS)),
        ),
    );
    def(vm, T_BASE_EXCEPTION, E_INIT);
    def(vm, T_BASE_EXCEPTION, E_WITH_TRACEBACK);
    defs(vm, T_FILE, F_READ, F_FLUSH);
    defs(vm, T_BYTES, BY_DECODE, BY_HEX);
    def(vm, T_BYTEARRAY, BY_DECODE);
    def(vm, T_BYTEARRAY, BA_APPEND);
    def(vm, T_TYPE, TY_MRO);
    install_dunders(vm);
    class_dict_changed(class_data(ty(vm, T_OBJECT)));
    let mut t = T_MAP;
    while t <= T_SEQ_ITER {
        def(vm, t, IT_NEXT);
        def(vm, t, IT_ITER);
        t += 1;
    }
    // Built-in types whose __new__ user classes call through super().
    let mut t = T_INT;
    while t <= T_BYTES {
        if t != T_NONE && t != T_BOOL && t < T_FUNCTION || t == T_BYTES {
            let c = ty(vm, t);
            class_data(c).dict.insert(
                Str::from("__new__"),
                new_obj(ty(vm, T_BUILTIN), Kind::Builtin(O_BUILTIN_NEW, c)),
            );
        }
        t += 1;
    }
    let c = ty(vm, T_BASE_EXCEPTION);
    class_data(c).dict.insert(
        Str::from("__new__"),
        new_obj(ty(vm, T_BUILTIN), Kind::Builtin(O_BUILTIN_NEW, c)),
    );
}

/// `globals()`, `locals()`, `vars()` and `dir()` without arguments: they read the calling
/// frame (the interpreter calls this instead of [`call_builtin`]). `globals()` and the
/// `locals()` of module and class bodies are live views of the namespace; a function's
/// `locals()` is a snapshot.
pub fn frame_call(vm: Gc<Vm>, frame: Gc<Frame>, id: i64) -> Result<Value, Value> {
    // Module code keeps its names in the globals (no `locals_map`).
    let module_body = frame.code.flags & crate::opcode::CO_OPTIMIZED == 0;
    if id == B_GLOBALS || (module_body && frame.locals_map.is_none()) {
        let view = crate::dict::new_map_view(vm, frame.globals);
        if id != B_DIR {
            return Ok(view);
        }
        let (ks, _) = crate::dict::items_of(vm, view);
        sort_list(vm, ks, Value::Nil, false)?;
        return Ok(ops::new_list(vm, ks));
    }
    let d = match frame.locals_map {
        Some(m) => {
            let view = crate::dict::new_map_view(vm, m);
            if id != B_DIR {
                return Ok(view);
            }
            view
        }
        None => crate::dict::new_dict(vm),
    };
    match frame.locals_map {
        Some(_) => {}
        None => {
            let code = frame.code;
            for i in 0..code.varnames.len() {
                let v = frame.fast.get(i);
                if !v.is_null() {
                    crate::dict::setitem(vm, d, strs::new_str(vm, code.varnames.get(i)), v)?;
                }
            }
            let nc = code.cellvars.len();
            for i in 0..frame.cells.len() {
                if let Value::Obj(o) = frame.cells.get(i) {
                    if let Kind::Cell(c) = o.kind {
                        let v = c.value.get();
                        if !v.is_null() {
                            let name = if i < nc {
                                code.cellvars.get(i)
                            } else {
                                code.freevars.get(i - nc)
                            };
                            crate::dict::setitem(vm, d, strs::new_str(vm, name), v)?;
                        }
                    }
                }
            }
        }
    }
    if id == B_DIR {
        let (ks, _) = crate::dict::items_of(vm, d);
        sort_list(vm, ks, Value::Nil, false)?;
        return Ok(ops::new_list(vm, ks));
    }
    Ok(d)
}

/// `id()` of an object: assigned on first use, never reused.
pub fn object_id(vm: Gc<Vm>, o: Gc<Object>) -> i64 {
    let i = o.ident.get();
    if i != 0 {
        return i;
    }
    let n = vm.next_id.get();
    vm.next_id.set(n + 16);
    o.ident.set(n);
    n
}

/// `f()`-style name of a callable, for error messages.
pub fn callable_name(vm: Gc<Vm>, f: Value) -> Str {
    if let Value::Obj(o) = f {
        match o.kind {
            Kind::Function(func) => return func.qualname.get().concat(Str::from("()")),
            Kind::Method(g, _) => return callable_name(vm, g),
            Kind::Builtin(id, _) => return builtin_name(id).concat(Str::from("()")),
            Kind::Class(c) => return c.name.get().concat(Str::from("()")),
            _ => {}
        }
    }
    type_name(vm, f).concat(Str::from(" object"))
}

pub fn property_name(vm: Gc<Vm>, p: Value) -> Str {
    if let Value::Obj(o) = p {
        if let Kind::Property(g, s, _) = o.kind {
            let f = if g.is_nil() { s } else { g };
            if let Value::Obj(fo) = f {
                if let Kind::Function(func) = fo.kind {
                    return func.name.get();
                }
            }
        }
    }
    let _ = vm;
    Str::from("?")
}

/// The `__slots__` of a user class (None when instances have a `__dict__`).
pub fn slots_of(vm: Gc<Vm>, cls: Value) -> Option<GcArray<Str>> {
    let cd = class_data(cls);
    if cd.is_builtin {
        return None;
    }
    let mro = cd.mro.get();
    let names: GcList<Str> = GcList::new();
    for i in 0..mro.len() {
        let d = class_data(mro.get(i));
        if d.is_builtin {
            continue;
        }
        match d.dict.get(Str::from("__slots__")) {
            Some(s) => {
                let items = match ops::to_list(vm, s) {
                    Ok(l) => l,
                    Err(_) => return None,
                };
                for k in 0..items.len() {
                    if let Some(n) = strs::as_str(items.get(k)) {
                        if n == Str::from("__dict__") {
                            return None;
                        }
                        names.push(n);
                    }
                }
            }
            None => return None,
        }
    }
    let a = GcArray::new(names.len(), Str::from(""));
    for i in 0..names.len() {
        a.set(i, names.get(i));
    }
    Some(a)
}

// ---------------------------------------------------------------------------------------------
// Argument helpers

fn nargs_error(vm: Gc<Vm>, name: Str, expected: Str, got: usize) -> Result<Value, Value> {
    type_error(
        vm,
        name.concat(Str::from(" expected "))
            .concat(expected)
            .concat(Str::from(", got "))
            .concat(Str::from_i64(got as i64)),
    )
}

fn check_args(
    vm: Gc<Vm>,
    id: i64,
    args: GcArray<Value>,
    names: GcArray<Str>,
    min: usize,
    max: usize,
) -> Result<Value, Value> {
    let n = npos(args, names);
    if n < min || n > max {
        let name = builtin_name(id);
        if min == max {
            if min == 0 {
                return type_error(
                    vm,
                    name.concat(Str::from("() takes no arguments ("))
                        .concat(Str::from_i64(n as i64))
                        .concat(Str::from(" given)")),
                );
            }
            if min == 1 {
                return type_error(
                    vm,
                    name.concat(Str::from("() takes exactly one argument ("))
                        .concat(Str::from_i64(n as i64))
                        .concat(Str::from(" given)")),
                );
            }
        }
        if n < min {
            return nargs_error(
                vm,
                name,
                if min == 1 {
                    Str::from("at least 1 argument")
                } else {
                    Str::from("at least 2 arguments")
                },
                n,
            );
        }
        return nargs_error(
            vm,
            name,
            if max == 1 {
                Str::from("at most 1 argument")
            } else if max == 2 {
                Str::from("at most 2 arguments")
            } else {
                Str::from("at most 3 arguments")
            },
            n,
        );
    }
    Ok(Value::Nil)
}

fn str_arg(vm: Gc<Vm>, v: Value, what: Str) -> Result<Str, Value> {
    match strs::as_str(v) {
        Some(s) => Ok(s),
        None => Err(new_exc(
            vm,
            T_TYPE_ERROR,
            what.concat(Str::from(" must be str, not "))
                .concat(type_name(vm, v)),
        )),
    }
}

fn new_list_from(vm: Gc<Vm>, l: GcList<Value>) -> Value {
    ops::new_list(vm, l)
}

fn tuple2(vm: Gc<Vm>, a: Value, b: Value) -> Value {
    let t = GcArray::new(2, a);
    t.set(1, b);
    ops::new_tuple(vm, t)
}

// ---------------------------------------------------------------------------------------------
// Sorting (stable merge sort; comparisons may call user code and raise)

fn less(vm: Gc<Vm>, a: Value, b: Value) -> Result<bool, Value> {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        return Ok(x < y);
    }
    let r = ops::compare(vm, crate::opcode::CMP_LT, a, b)?;
    ops::truthy(vm, r)
}

/// Sorts `items` (with parallel `keys`) in place, stably.
pub fn merge_sort(
    vm: Gc<Vm>,
    keys: GcArray<Value>,
    items: GcArray<Value>,
    reverse: bool,
) -> Result<Value, Value> {
    let n = keys.len();
    let tk = GcArray::new(n, Value::Nil);
    let ti = GcArray::new(n, Value::Nil);
    let mut width: usize = 1;
    while width < n {
        let mut lo: usize = 0;
        while lo < n {
            let mid = if lo + width < n { lo + width } else { n };
            let hi = if lo + 2 * width < n {
                lo + 2 * width
            } else {
                n
            };
            let mut i = lo;
            let mut j = mid;
            let mut k = lo;
            while i < mid && j < hi {
                // Stable: take from the right only when strictly smaller (or greater when reversed).
                let take_right = if reverse {
                    less(vm, keys.get(i), keys.get(j))?
                } else {
                    less(vm, keys.get(j), keys.get(i))?
                };
                if take_right {
                    tk.set(k, keys.get(j));
                    ti.set(k, items.get(j));
                    j += 1;
                } else {
                    tk.set(k, keys.get(i));
                    ti.set(k, items.get(i));
                    i += 1;
                }
                k += 1;
            }
            while i < mid {
                tk.set(k, keys.get(i));
                ti.set(k, items.get(i));
                i += 1;
                k += 1;
            }
            while j < hi {
                tk.set(k, keys.get(j));
                ti.set(k, items.get(j));
                j += 1;
                k += 1;
            }
            lo += 2 * width;
        }
        for x in 0..n {
            keys.set(x, tk.get(x));
            items.set(x, ti.get(x));
        }
        width *= 2;
    }
    Ok(Value::Nil)
}

fn sort_list(vm: Gc<Vm>, l: GcList<Value>, key: Value, reverse: bool) -> Result<Value, Value> {
    let n = l.len();
    let items = GcArray::new(n, Value::Nil);
    let keys = GcArray::new(n, Value::Nil);
    for i in 0..n {
        items.set(i, l.get(i));
        let k = if key.is_nil() || key.is_null() {
            l.get(i)
        } else {
            call::call1(vm, key, l.get(i))?
        };
        keys.set(i, k);
    }
    merge_sort(vm, keys, items, reverse)?;
    l.clear();
    for i in 0..n {
        l.push(items.get(i));
    }
    Ok(Value::Nil)
}

// ---------------------------------------------------------------------------------------------
// Dispatch

pub fn call_builtin(
    vm: Gc<Vm>,
    id: i64,
    selfv: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    if id >= MODULE_BASE && id < BYTES_BASE {
        return crate::modules::call_module_func(vm, id, selfv, args, names);
    }
    if selfv.is_null()
        && id >= S_JOIN
        && id != O_NEW
        && id != O_BUILTIN_NEW
        && id != BY_MAKETRANS
        && id != S_MAKETRANS
    {
        // An unbound method called through its class: the first argument is the receiver.
        if args.len() == 0 {
            return type_error(
                vm,
                Str::from("unbound method ")
                    .concat(builtin_name(id))
                    .concat(Str::from("() needs an argument")),
            );
        }
        let rest = GcArray::new(args.len() - 1, Value::Nil);
        for i in 1..args.len() {
            rest.set(i - 1, args.get(i));
        }
        return call_builtin(vm, id, args.get(0), rest, names);
    }
    if id < S_JOIN {
        return call_global(vm, id, args, names);
    }
    if id == S_MAKETRANS {
        return crate::strmethods::maketrans(vm, args, names);
    }
    if id < L_APPEND {
        return crate::strmethods::call_str_method(vm, id, selfv, args, names);
    }
    if id >= X_LEN && id < X_CMP + 6 {
        return call_dunder(vm, id, selfv, args, names);
    }
    if id >= BYTES_BASE {
        return crate::strmethods::call_bytes_method(vm, id - BYTES_BASE, selfv, args, names);
    }
    call_method(vm, id, selfv, args, names)
}

fn print(vm: Gc<Vm>, args: GcArray<Value>, names: GcArray<Str>) -> Result<Value, Value> {
    let sep_v = kwarg(args, names, Str::from("sep"));
    let end_v = kwarg(args, names, Str::from("end"));
    let file_v = kwarg(args, names, Str::from("file"));
    let sep = if sep_v.is_null() || sep_v.is_nil() {
        Str::from(" ")
    } else {
        str_arg(vm, sep_v, Str::from("sep"))?
    };
    let end = if end_v.is_null() || end_v.is_nil() {
        Str::from("\n")
    } else {
        str_arg(vm, end_v, Str::from("end"))?
    };
    let out = StrBuilder::new();
    let n = npos(args, names);
    for i in 0..n {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(ops::str_of(vm, args.get(i))?);
    }
    out.push_str(end);
    let text = out.build();
    if file_v.is_null() || file_v.is_nil() {
        io::print(text);
        return Ok(Value::Nil);
    }
    let w = ops::getattr(vm, file_v, Str::from("write"))?;
    call::call1(vm, w, strs::new_str(vm, text))?;
    Ok(Value::Nil)
}

/// `len(v)`.
pub fn len_of(vm: Gc<Vm>, v: Value) -> Result<i64, Value> {
    len_of_impl(vm, v, true)
}

/// Like [`len_of`] but ignoring special methods defined in Python (the built-in behaviour,
/// which `super().__len__` and `list.__len__` reach).
pub fn len_of_kind(vm: Gc<Vm>, v: Value) -> Result<i64, Value> {
    len_of_impl(vm, v, false)
}

pub fn len_of_impl(vm: Gc<Vm>, v: Value, user: bool) -> Result<i64, Value> {
    if let Value::Obj(o) = v {
        let cls = o.cls.get();
        if user && is_user_class(cls) {
            let f = lookup_user(cls, Str::from("__len__"));
            if !f.is_null() {
                let r = call::call1(vm, f, v)?;
                let n = ops::index_of(vm, r)?;
                if n < 0 {
                    return Err(new_exc(
                        vm,
                        T_VALUE_ERROR,
                        Str::from("__len__() should return >= 0"),
                    ));
                }
                return Ok(n);
            }
        }
        match o.kind {
            Kind::Str(_, n) => return Ok(n),
            Kind::List(l) => return Ok(l.len() as i64),
            Kind::Tuple(t) => return Ok(t.len() as i64),
            Kind::Dict(d) => return Ok(crate::dict::len_data(d)),
            Kind::Set(s) => return Ok(s.used.get()),
            Kind::Bytes(s) => return Ok(s.len() as i64),
            Kind::ByteArray(l) => return Ok(l.len() as i64),
            Kind::Range(a, b, c) => return Ok(ops::range_len(a, b, c)),
            Kind::BigRange(a, b, c) => return crate::bigrange::len(vm, a, b, c),
            Kind::Iter(st) => {
                if st.kind >= iter::VIEW_KEYS {
                    return Ok(crate::dict::len(st.seq));
                }
            }
            _ => {}
        }
    }
    Err(new_exc(
        vm,
        T_TYPE_ERROR,
        Str::from("object of type '")
            .concat(type_name(vm, v))
            .concat(Str::from("' has no len()")),
    ))
}

fn min_max(vm: Gc<Vm>, id: i64, args: GcArray<Value>, names: GcArray<Str>) -> Result<Value, Value> {
    let n = npos(args, names);
    let key = kwarg(args, names, Str::from("key"));
    let default = kwarg(args, names, Str::from("default"));
    let items = if n == 1 {
        ops::to_list(vm, args.get(0))?
    } else {
        let l: GcList<Value> = GcList::new();
        for i in 0..n {
            l.push(args.get(i));
        }
        l
    };
    if n == 0 {
        return type_error(
            vm,
            builtin_name(id).concat(Str::from(" expected at least 1 argument, got 0")),
        );
    }
    if items.len() == 0 {
        if !default.is_null() {
            return Ok(default);
        }
        return value_error(
            vm,
            builtin_name(id).concat(Str::from("() arg is an empty sequence")),
        );
    }
    let mut best = items.get(0);
    let mut bestk = if key.is_null() || key.is_nil() {
        best
    } else {
        call::call1(vm, key, best)?
    };
    for i in 1..items.len() {
        let x = items.get(i);
        let k = if key.is_null() || key.is_nil() {
            x
        } else {
            call::call1(vm, key, x)?
        };
        let better = if id == B_MIN {
            less(vm, k, bestk)?
        } else {
            less(vm, bestk, k)?
        };
        if better {
            best = x;
            bestk = k;
        }
    }
    Ok(best)
}

fn int_to_base(vm: Gc<Vm>, v: Value, base: i64, prefix: Str) -> Result<Value, Value> {
    let b = match ops::int_view(v) {
        IntView::Small(i) => bigint::from_i64(i),
        IntView::Big(b) => b,
        IntView::NotInt => {
            let i = ops::index_of(vm, v)?;
            bigint::from_i64(i)
        }
    };
    let digits = bigint::to_str(bigint::abs(b), base);
    let s = if b.neg { Str::from("-") } else { Str::from("") };
    Ok(strs::new_str(vm, s.concat(prefix).concat(digits)))
}

fn round_half_even(x: f64) -> f64 {
    let r = x.floor();
    let d = x - r;
    if d > 0.5 {
        r + 1.0
    } else if d < 0.5 {
        r
    } else if ops::float_mod(r, 2.0) == 0.0 {
        r
    } else {
        r + 1.0
    }
}

fn call_global(
    vm: Gc<Vm>,
    id: i64,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = npos(args, names);
    match id {
        B_PRINT => print(vm, args, names),
        B_LEN => {
            check_args(vm, id, args, names, 1, 1)?;
            Ok(Value::Int(len_of(vm, args.get(0))?))
        }
        B_REPR => {
            check_args(vm, id, args, names, 1, 1)?;
            Ok(strs::new_str(vm, ops::repr(vm, args.get(0))?))
        }
        B_ASCII => {
            check_args(vm, id, args, names, 1, 1)?;
            Ok(strs::new_str(vm, strs::ascii(ops::repr(vm, args.get(0))?)))
        }
        B_ABS => {
            check_args(vm, id, args, names, 1, 1)?;
            let v = args.get(0);
            match v {
                Value::Float(f) => Ok(Value::Float(f.abs())),
                _ => {
                    if let Value::Obj(o) = v {
                        if is_user_class(o.cls.get()) {
                            let f = lookup_user(o.cls.get(), Str::from("__abs__"));
                            if !f.is_null() {
                                return call::call1(vm, f, v);
                            }
                        }
                    }
                    match ops::int_view(v) {
                        IntView::Small(i) => {
                            if i < 0 {
                                ops::unary(vm, 1, v)
                            } else {
                                Ok(Value::Int(i))
                            }
                        }
                        IntView::Big(b) => Ok(ops::long_value(vm, bigint::abs(b))),
                        IntView::NotInt => type_error(
                            vm,
                            Str::from("bad operand type for abs(): '")
                                .concat(type_name(vm, v))
                                .concat(Str::from("'")),
                        ),
                    }
                }
            }
        }
        B_MIN | B_MAX => min_max(vm, id, args, names),
        B_SUM => {
            check_args(vm, id, args, names, 1, 2)?;
            let items = ops::to_list(vm, args.get(0))?;
            let mut acc = arg_or(args, names, 1, Str::from("start"), Value::Int(0));
            if strs::as_str(acc).is_some() {
                return type_error(
                    vm,
                    Str::from("sum() can't sum strings [use ''.join(seq) instead]"),
                );
            }
            if crate::bytes::is_bytes_like(acc) {
                return type_error(
                    vm,
                    Str::from("sum() can't sum bytes [use b''.join(seq) instead]"),
                );
            }
            for i in 0..items.len() {
                acc = ops::binary_op(vm, crate::opcode::OP_ADD, acc, items.get(i))?;
            }
            Ok(acc)
        }
        B_SORTED => {
            check_args(vm, id, args, names, 1, 1)?;
            let l = ops::to_list(vm, args.get(0))?;
            let key = kwarg(args, names, Str::from("key"));
            let rev = kwarg(args, names, Str::from("reverse"));
            let reverse = if rev.is_null() {
                false
            } else {
                ops::truthy(vm, rev)?
            };
            sort_list(vm, l, key, reverse)?;
            Ok(new_list_from(vm, l))
        }
        B_ISINSTANCE | B_ISSUBCLASS => {
            check_args(vm, id, args, names, 2, 2)?;
            let x = args.get(0);
            let t = args.get(1);
            if id == B_ISSUBCLASS && as_class(x).is_none() {
                return type_error(vm, Str::from("issubclass() arg 1 must be a class"));
            }
            let c = if id == B_ISINSTANCE {
                class_of(vm, x)
            } else {
                x
            };
            Ok(Value::Bool(isinstance_check(vm, c, t, id)?))
        }
        B_HASH => {
            check_args(vm, id, args, names, 1, 1)?;
            Ok(Value::Int(ops::hash(vm, args.get(0))?))
        }
        B_ID => {
            check_args(vm, id, args, names, 1, 1)?;
            Ok(Value::Int(ops::id_of(vm, args.get(0))))
        }
        B_ITER => {
            if n == 2 {
                return Ok(iter::new_iter(
                    vm,
                    T_CALLITER,
                    iter::IT_CALLABLE,
                    args.get(0),
                    0,
                    1,
                    args.get(1),
                ));
            }
            check_args(vm, id, args, names, 1, 2)?;
            iter::get_iter(vm, args.get(0))
        }
        B_NEXT => {
            check_args(vm, id, args, names, 1, 2)?;
            let it = args.get(0);
            if iter::iter_state(it).is_none() && !iter::is_generator(it) {
                if ops::special_method(vm, it, Str::from("__next__"))?.is_null() {
                    return type_error(
                        vm,
                        Str::from("'")
                            .concat(type_name(vm, it))
                            .concat(Str::from("' object is not an iterator")),
                    );
                }
                let f = ops::special_method(vm, it, Str::from("__next__"))?;
                return match call::call0(vm, f) {
                    Ok(v) => Ok(v),
                    Err(e) => {
                        if n == 2 && is_instance_id(vm, e, T_STOP_ITERATION) {
                            return Ok(args.get(1));
                        }
                        Err(e)
                    }
                };
            }
            let v = match next_or_stop(vm, it) {
                Ok(v) => v,
                Err(e) => {
                    if n == 2 && is_instance_id(vm, e, T_STOP_ITERATION) {
                        return Ok(args.get(1));
                    }
                    return Err(e);
                }
            };
            if v.is_null() {
                if n == 2 {
                    return Ok(args.get(1));
                }
                return Err(stop_iteration(vm, it));
            }
            Ok(v)
        }
        B_ANY | B_ALL => {
            check_args(vm, id, args, names, 1, 1)?;
            let it = iter::get_iter(vm, args.get(0))?;
            loop {
                let x = iter::next(vm, it)?;
                if x.is_null() {
                    return Ok(Value::Bool(id == B_ALL));
                }
                let t = ops::truthy(vm, x)?;
                if id == B_ANY && t {
                    return Ok(Value::Bool(true));
                }
                if id == B_ALL && !t {
                    return Ok(Value::Bool(false));
                }
            }
        }
        B_CHR => {
            check_args(vm, id, args, names, 1, 1)?;
            let c = ops::index_of(vm, args.get(0))?;
            if c < 0 || c > 0x10FFFF {
                return value_error(vm, Str::from("chr() arg not in range(0x110000)"));
            }
            Ok(strs::new_str(vm, strs::encode_char(c)))
        }
        B_ORD => {
            check_args(vm, id, args, names, 1, 1)?;
            let v = args.get(0);
            if let Value::Obj(o) = v {
                match o.kind {
                    Kind::Str(s, k) => {
                        if k != 1 {
                            return type_error(
                                vm,
                                Str::from("ord() expected a character, but string of length ")
                                    .concat(Str::from_i64(k))
                                    .concat(Str::from(" found")),
                            );
                        }
                        let (c, _) = strs::decode_at(s, 0);
                        return Ok(Value::Int(c));
                    }
                    Kind::Bytes(s) => {
                        if s.len() == 1 {
                            return Ok(Value::Int(s.byte_at(0) as i64));
                        }
                    }
                    _ => {}
                }
            }
            type_error(
                vm,
                Str::from("ord() expected string of length 1, but ")
                    .concat(type_name(vm, v))
                    .concat(Str::from(" found")),
            )
        }
        B_DIVMOD => {
            check_args(vm, id, args, names, 2, 2)?;
            let a = args.get(0);
            let b = args.get(1);
            let float_zero = match (a, b) {
                (Value::Float(_), Value::Float(y)) => y == 0.0,
                (Value::Float(_), _) => matches!(ops::int_view(b), IntView::Small(0)),
                (_, Value::Float(y)) => y == 0.0 && !matches!(ops::int_view(a), IntView::NotInt),
                _ => false,
            };
            if float_zero {
                return err(vm, T_ZERO_DIVISION_ERROR, Str::from("float divmod()"));
            }
            let q = ops::binary_op(vm, crate::opcode::OP_FLOORDIV, a, b)?;
            let r = ops::binary_op(vm, crate::opcode::OP_MOD, a, b)?;
            Ok(tuple2(vm, q, r))
        }
        B_POW => {
            let base = arg_or(args, names, 0, Str::from("base"), Value::Null);
            let exp = arg_or(args, names, 1, Str::from("exp"), Value::Null);
            let md = arg_or(args, names, 2, Str::from("mod"), Value::Nil);
            if base.is_null() || exp.is_null() {
                return type_error(
                    vm,
                    Str::from("pow() missing required argument 'exp' (pos 2)"),
                );
            }
            if !md.is_nil() {
                let (ia, ie, im) = (ops::int_view(base), ops::int_view(exp), ops::int_view(md));
                if matches!(ia, IntView::NotInt)
                    || matches!(ie, IntView::NotInt)
                    || matches!(im, IntView::NotInt)
                {
                    if let Value::Obj(o) = base {
                        if is_user_class(o.cls.get()) {
                            let f = lookup_user(o.cls.get(), Str::from("__pow__"));
                            if !f.is_null() {
                                let a3 = GcArray::new(3, base);
                                a3.set(1, exp);
                                a3.set(2, md);
                                return call::call(vm, f, a3, vm.no_names);
                            }
                        }
                    }
                    return type_error(
                        vm,
                        Str::from(
                            "pow() 3rd argument not allowed unless all arguments are integers",
                        ),
                    );
                }
                let bm = big_of(im);
                if bigint::is_zero(bm) {
                    return value_error(vm, Str::from("pow() 3rd argument cannot be 0"));
                }
                let be = big_of(ie);
                let mut bb = big_of(ia);
                if be.neg {
                    // A negative exponent: the modular inverse, by the extended Euclid.
                    let m = bigint::abs(bm);
                    let mut r0 = bigint::modulo(bb, m);
                    let mut r1 = m;
                    let mut s0 = bigint::from_i64(1);
                    let mut s1 = bigint::from_i64(0);
                    while !bigint::is_zero(r1) {
                        let q = bigint::floordiv(r0, r1);
                        let r2 = bigint::sub(r0, bigint::mul(q, r1));
                        r0 = r1;
                        r1 = r2;
                        let s2 = bigint::sub(s0, bigint::mul(q, s1));
                        s0 = s1;
                        s1 = s2;
                    }
                    if bigint::cmp(r0, bigint::from_i64(1)) != 0 {
                        return value_error(
                            vm,
                            Str::from("base is not invertible for the given modulus"),
                        );
                    }
                    bb = bigint::modulo(s0, m);
                    let pe = bigint::neg(be);
                    return Ok(ops::long_value(vm, bigint::pow_mod(bb, pe, bm)));
                }
                return Ok(ops::long_value(vm, bigint::pow_mod(bb, be, bm)));
            }
            ops::binary_op(vm, crate::opcode::OP_POW, base, exp)
        }
        B_ROUND => {
            check_args(vm, id, args, names, 1, 2)?;
            let v = args.get(0);
            let nd = arg_or(args, names, 1, Str::from("ndigits"), Value::Nil);
            if let Value::Obj(o) = v {
                if is_user_class(o.cls.get()) {
                    let f = lookup_user(o.cls.get(), Str::from("__round__"));
                    if !f.is_null() {
                        if nd.is_nil() {
                            return call::call1(vm, f, v);
                        }
                        return call::call2(vm, f, v, nd);
                    }
                }
            }
            match v {
                Value::Float(f) => {
                    if nd.is_nil() {
                        if f != f {
                            return value_error(
                                vm,
                                Str::from("cannot convert float NaN to integer"),
                            );
                        }
                        if ops::is_inf(f) {
                            return err(
                                vm,
                                T_OVERFLOW_ERROR,
                                Str::from("cannot convert float infinity to integer"),
                            );
                        }
                        let r = round_half_even(f);
                        return Ok(ops::long_value(vm, bigint::from_f64(r)));
                    }
                    let d = ops::index_of(vm, nd)?;
                    Ok(Value::Float(crate::modules::round_float(f, d)))
                }
                _ => {
                    if nd.is_nil() {
                        return Ok(v);
                    }
                    let d = ops::index_of(vm, nd)?;
                    if d >= 0 {
                        return Ok(v);
                    }
                    // Round to a power of ten, half to even.
                    let p = ops::binary_op(
                        vm,
                        crate::opcode::OP_POW,
                        Value::Int(10),
                        Value::Int(0 - d),
                    )?;
                    let q = ops::binary_op(vm, crate::opcode::OP_FLOORDIV, v, p)?;
                    let r = ops::binary_op(vm, crate::opcode::OP_MOD, v, p)?;
                    let twice = ops::binary_op(vm, crate::opcode::OP_MUL, r, Value::Int(2))?;
                    let c = ops::compare(vm, crate::opcode::CMP_GT, twice, p)?;
                    let e = ops::compare(vm, crate::opcode::CMP_EQ, twice, p)?;
                    let odd = ops::binary_op(vm, crate::opcode::OP_MOD, q, Value::Int(2))?;
                    let up = ops::truthy(vm, c)?
                        || (ops::truthy(vm, e)? && ops::eq(vm, odd, Value::Int(1))?);
                    let q2 = if up {
                        ops::binary_op(vm, crate::opcode::OP_ADD, q, Value::Int(1))?
                    } else {
                        q
                    };
                    ops::binary_op(vm, crate::opcode::OP_MUL, q2, p)
                }
            }
        }
        B_HEX => int_to_base(vm, args.get(0), 16, Str::from("0x")),
        B_OCT => int_to_base(vm, args.get(0), 8, Str::from("0o")),
        B_BIN => int_to_base(vm, args.get(0), 2, Str::from("0b")),
        B_GETATTR => {
            check_args(vm, id, args, names, 2, 3)?;
            let name = match strs::as_str(args.get(1)) {
                Some(s) => s,
                None => {
                    return type_error(
                        vm,
                        Str::from("attribute name must be string, not '")
                            .concat(type_name(vm, args.get(1)))
                            .concat(Str::from("'")),
                    )
                }
            };
            if n == 3 {
                return match ops::getattr(vm, args.get(0), name) {
                    Ok(v) => Ok(v),
                    Err(e) => {
                        if is_instance_id(vm, e, T_ATTRIBUTE_ERROR) {
                            return Ok(args.get(2));
                        }
                        Err(e)
                    }
                };
            }
            ops::getattr(vm, args.get(0), name)
        }
        B_SETATTR => {
            check_args(vm, id, args, names, 3, 3)?;
            let name = str_arg(vm, args.get(1), Str::from("attribute name"))?;
            ops::setattr(vm, args.get(0), name, args.get(2))?;
            Ok(Value::Nil)
        }
        B_DELATTR => {
            check_args(vm, id, args, names, 2, 2)?;
            let name = str_arg(vm, args.get(1), Str::from("attribute name"))?;
            ops::delattr(vm, args.get(0), name)?;
            Ok(Value::Nil)
        }
        B_HASATTR => {
            check_args(vm, id, args, names, 2, 2)?;
            let name = str_arg(vm, args.get(1), Str::from("attribute name"))?;
            match ops::getattr(vm, args.get(0), name) {
                Ok(_) => Ok(Value::Bool(true)),
                Err(e) => {
                    if is_instance_id(vm, e, T_ATTRIBUTE_ERROR) {
                        return Ok(Value::Bool(false));
                    }
                    Err(e)
                }
            }
        }
        B_CALLABLE => {
            check_args(vm, id, args, names, 1, 1)?;
            let v = args.get(0);
            if let Value::Obj(o) = v {
                match o.kind {
                    Kind::Function(_)
                    | Kind::Method(_, _)
                    | Kind::Builtin(_, _)
                    | Kind::Class(_) => return Ok(Value::Bool(true)),
                    _ => {}
                }
            }
            Ok(Value::Bool(
                !lookup(class_of(vm, v), Str::from("__call__")).is_null(),
            ))
        }
        B_INPUT => crate::modules::input(vm, if n > 0 { args.get(0) } else { Value::Null }),
        B_OPEN => crate::modules::open(vm, args, names),
        B_BUILD_CLASS => build_class(vm, args, names),
        B_FORMAT => {
            check_args(vm, id, args, names, 1, 2)?;
            let spec = if n > 1 {
                str_arg(vm, args.get(1), Str::from("format_spec"))?
            } else {
                Str::from("")
            };
            Ok(strs::new_str(
                vm,
                crate::format::format(vm, args.get(0), spec)?,
            ))
        }
        B_IMPORT => {
            let name = str_arg(
                vm,
                if n > 0 { args.get(0) } else { Value::Null },
                Str::from("__import__() argument 1"),
            )?;
            crate::modules::import(vm, name)
        }
        B_VARS => {
            let v = args.get(0);
            special_attr_or_err(vm, v, Str::from("__dict__"))
        }
        B_DIR => {
            let v = args.get(0);
            let l: GcList<Value> = GcList::new();
            if let Value::Obj(o) = v {
                if let Some(a) = attr_map(o) {
                    for i in 0..a.len() {
                        l.push(strs::new_str(vm, a.key_at(i)));
                    }
                }
            }
            let mro = class_data(class_of(vm, v)).mro.get();
            for i in 0..mro.len() {
                let d = class_data(mro.get(i)).dict;
                for k in 0..d.len() {
                    l.push(strs::new_str(vm, d.key_at(k)));
                }
            }
            let s = crate::set::from_list(vm, l, T_SET)?;
            let r = crate::set::items(vm, s);
            sort_list(vm, r, Value::Nil, false)?;
            Ok(new_list_from(vm, r))
        }
        _ => type_error(
            vm,
            builtin_name(id).concat(Str::from("() is not supported by pyvm yet")),
        ),
    }
}

fn big_of(v: IntView) -> Gc<bigint::BigInt> {
    match v {
        IntView::Small(i) => bigint::from_i64(i),
        IntView::Big(b) => b,
        IntView::NotInt => bigint::from_i64(0),
    }
}

fn special_attr_or_err(vm: Gc<Vm>, v: Value, name: Str) -> Result<Value, Value> {
    let r = special_attr(vm, v, name)?;
    if r.is_null() {
        return type_error(
            vm,
            Str::from("vars() argument must have __dict__ attribute"),
        );
    }
    Ok(r)
}

pub fn stop_iteration(vm: Gc<Vm>, it: Value) -> Value {
    let _ = it;
    new_exc_noargs(vm, T_STOP_ITERATION)
}

/// `next(it)` that turns a generator's return value into StopIteration(value).
fn next_or_stop(vm: Gc<Vm>, it: Value) -> Result<Value, Value> {
    if let Some(f) = iter::generator_frame(it) {
        let (done, v) = crate::interp::resume(vm, f, Value::Nil)?;
        if done {
            if v.is_nil() {
                return Err(new_exc_noargs(vm, T_STOP_ITERATION));
            }
            return Err(new_exc_obj(
                ty(vm, T_STOP_ITERATION),
                ops::new_tuple(vm, GcArray::new(1, v)),
            ));
        }
        return Ok(v);
    }
    iter::next(vm, it)
}

fn isinstance_check(vm: Gc<Vm>, c: Value, t: Value, id: i64) -> Result<bool, Value> {
    if let Some(items) = ops::as_tuple(t) {
        for i in 0..items.len() {
            if isinstance_check(vm, c, items.get(i), id)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if as_class(t).is_none() {
        let what = if id == B_ISINSTANCE {
            Str::from("isinstance() arg 2")
        } else {
            Str::from("issubclass() arg 2")
        };
        return Err(new_exc(
            vm,
            T_TYPE_ERROR,
            what.concat(Str::from(" must be a type, a tuple of types, or a union")),
        ));
    }
    Ok(is_subclass(c, t))
}

/// `__build_class__(func, name, *bases, metaclass=None, **kwds)`.
fn build_class(vm: Gc<Vm>, args: GcArray<Value>, names: GcArray<Str>) -> Result<Value, Value> {
    let n = npos(args, names);
    let body = args.get(0);
    let name = strs::as_str(args.get(1)).unwrap_or(Str::from("?"));
    let nb = n - 2;
    let bases = GcArray::new(if nb == 0 { 1 } else { nb }, ty(vm, T_OBJECT));
    for i in 0..nb {
        let b = args.get(2 + i);
        if as_class(b).is_none() {
            return type_error(vm, Str::from("bases must be types"));
        }
        bases.set(i, b);
    }
    let mut meta = ty(vm, T_TYPE);
    let mv = kwarg(args, names, Str::from("metaclass"));
    if !mv.is_null() {
        meta = mv;
    } else {
        for i in 0..bases.len() {
            let m = class_of(vm, bases.get(i));
            if !same(m, ty(vm, T_TYPE)) {
                meta = m;
            }
        }
    }
    let func = match body {
        Value::Obj(o) => match o.kind {
            Kind::Function(f) => f,
            _ => return type_error(vm, Str::from("__build_class__: func must be a function")),
        },
        _ => return type_error(vm, Str::from("__build_class__: func must be a function")),
    };
    let ns: GcMap<Str, Value> = GcMap::new();
    ns.insert(
        Str::from("__module__"),
        func.globals
            .get(Str::from("__name__"))
            .unwrap_or(Value::Nil),
    );
    ns.insert(
        Str::from("__qualname__"),
        strs::new_str(vm, func.code.qualname),
    );
    // Run the body with the namespace as its locals.
    let frame = crate::interp::new_frame(func.code, func.globals, Some(ns));
    let ncell = func.code.cellvars.len();
    for i in 0..ncell {
        frame.cells.set(i, ops::new_cell(vm, Value::Null));
    }
    for i in 0..func.closure.len() {
        frame.cells.set(ncell + i, func.closure.get(i));
    }
    let depth = vm.depth.get();
    vm.depth.set(depth + 1);
    let r = crate::interp::run_frame(vm, frame);
    vm.depth.set(depth);
    let classcell = r?;
    let qualname = match ns.get(Str::from("__qualname__")) {
        Some(q) => strs::as_str(q).unwrap_or(name),
        None => name,
    };
    ns.remove(Str::from("__qualname__"));
    if ns.get(Str::from("__eq__")).is_some() && ns.get(Str::from("__hash__")).is_none() {
        ns.insert(Str::from("__hash__"), Value::Nil);
    }
    // Functions become methods; wrap plain __init_subclass__/__class_getitem__ as classmethods.
    if let Some(f) = ns.get(Str::from("__init_subclass__")) {
        if let Value::Obj(fo) = f {
            if let Kind::Function(_) = fo.kind {
                ns.insert(
                    Str::from("__init_subclass__"),
                    new_obj(ty(vm, T_CLASSMETHOD), Kind::ClassMethod(f)),
                );
            }
        }
    }
    let cls = if !same(meta, ty(vm, T_TYPE)) && is_user_class(meta) {
        // A user metaclass: call it like type(name, bases, ns).
        let d = crate::dict::new_dict(vm);
        for i in 0..ns.len() {
            crate::dict::setitem(vm, d, strs::new_str(vm, ns.key_at(i)), ns.value_at(i))?;
        }
        crate::dict::setitem(
            vm,
            d,
            strs::new_str(vm, Str::from("__qualname__")),
            strs::new_str(vm, qualname),
        )?;
        let a = GcArray::new(3, strs::new_str(vm, name));
        let bt = GcArray::new(nb, Value::Nil);
        for i in 0..nb {
            bt.set(i, bases.get(i));
        }
        a.set(1, ops::new_tuple(vm, bt));
        a.set(2, d);
        let newf = lookup(meta, Str::from("__new__"));
        let c = if !newf.is_null() && !is_builtin_new(newf) {
            let all = GcArray::new(4, meta);
            for i in 0..3 {
                all.set(i + 1, a.get(i));
            }
            call::call(vm, unwrap_static(newf), all, vm.no_names)?
        } else {
            make_class(vm, meta, name, qualname, bases, ns)?
        };
        let initf = lookup_user(meta, Str::from("__init__"));
        if !initf.is_null() && as_class(c).is_some() {
            let all = GcArray::new(4, c);
            for i in 0..3 {
                all.set(i + 1, a.get(i));
            }
            call::call(vm, initf, all, vm.no_names)?;
        }
        c
    } else {
        make_class(vm, meta, name, qualname, bases, ns)?
    };
    if let Value::Obj(o) = classcell {
        if let Kind::Cell(c) = o.kind {
            c.value.set(cls);
        }
    }
    Ok(cls)
}

fn is_builtin_new(f: Value) -> bool {
    if let Value::Obj(o) = f {
        match o.kind {
            Kind::Builtin(_, _) => return true,
            Kind::StaticMethod(g) => return is_builtin_new(g),
            _ => {}
        }
    }
    false
}

fn unwrap_static(f: Value) -> Value {
    if let Value::Obj(o) = f {
        if let Kind::StaticMethod(g) = o.kind {
            return g;
        }
    }
    f
}

/// Creates a class object and runs `__set_name__` and the parent's `__init_subclass__`.
pub fn make_class(
    vm: Gc<Vm>,
    meta: Value,
    name: Str,
    qualname: Str,
    bases: GcArray<Value>,
    ns: GcMap<Str, Value>,
) -> Result<Value, Value> {
    let cls = match new_class(vm, meta, name, qualname, bases, ns) {
        Some(c) => c,
        None => {
            let b = StrBuilder::new();
            for i in 0..bases.len() {
                if i > 0 {
                    b.push_str(Str::from(", "));
                }
                b.push_str(class_data(bases.get(i)).name.get());
            }
            return type_error(
                vm,
                Str::from("Cannot create a consistent method resolution\norder (MRO) for bases ")
                    .concat(b.build()),
            );
        }
    };
    for i in 0..ns.len() {
        let v = ns.value_at(i);
        if let Value::Obj(o) = v {
            if is_user_class(o.cls.get()) {
                let f = lookup_user(o.cls.get(), Str::from("__set_name__"));
                if !f.is_null() {
                    let args = GcArray::new(3, v);
                    args.set(1, cls);
                    args.set(2, strs::new_str(vm, ns.key_at(i)));
                    call::call(vm, f, args, vm.no_names)?;
                }
            }
        }
    }
    // super().__init_subclass__() of the first base that defines it.
    let mro = class_data(cls).mro.get();
    for i in 1..mro.len() {
        let d = class_data(mro.get(i));
        if let Some(f) = d.dict.get(Str::from("__init_subclass__")) {
            if !d.is_builtin {
                let g = match f {
                    Value::Obj(fo) => match fo.kind {
                        Kind::ClassMethod(g) => g,
                        _ => f,
                    },
                    _ => f,
                };
                call::call1(vm, g, cls)?;
            }
            break;
        }
    }
    Ok(cls)
}

/// `type(x)` and `type(name, bases, dict)`.
pub fn call_type(vm: Gc<Vm>, args: GcArray<Value>, names: GcArray<Str>) -> Result<Value, Value> {
    call_metaclass(vm, ty(vm, T_TYPE), args, names)
}

/// `meta(name, bases, dict)` for `type` and its subclasses (the new class's class is `meta`);
/// `type(x)` with one argument.
pub fn call_metaclass(
    vm: Gc<Vm>,
    meta: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = npos(args, names);
    if n == 1 && same(meta, ty(vm, T_TYPE)) {
        return Ok(class_of(vm, args.get(0)));
    }
    if n != 3 {
        return type_error(vm, Str::from("type() takes 1 or 3 arguments"));
    }
    let name = str_arg(vm, args.get(0), Str::from("type.__new__() argument 1"))?;
    let bl = ops::to_list(vm, args.get(1))?;
    let bases = GcArray::new(if bl.len() == 0 { 1 } else { bl.len() }, ty(vm, T_OBJECT));
    for i in 0..bl.len() {
        bases.set(i, bl.get(i));
    }
    let ns: GcMap<Str, Value> = GcMap::new();
    let (ks, vs) = crate::dict::items_of(vm, args.get(2));
    for i in 0..ks.len() {
        if let Some(k) = strs::as_str(ks.get(i)) {
            ns.insert(k, vs.get(i));
        }
    }
    if ns.get(Str::from("__module__")).is_none() {
        ns.insert(
            Str::from("__module__"),
            strs::new_str(vm, Str::from("__main__")),
        );
    }
    let qual = match ns.remove(Str::from("__qualname__")) {
        Some(q) => strs::as_str(q).unwrap_or(name),
        None => name,
    };
    make_class(vm, meta, name, qual, bases, ns)
}

// ---------------------------------------------------------------------------------------------
// Constructors of built-in types

fn parse_int_text(vm: Gc<Vm>, text: Str, base_in: i64, orig: Value) -> Result<Value, Value> {
    let t = strs::strip_bytes(text);
    let mut s = t;
    let mut neg = false;
    if s.len() > 0 && (s.byte_at(0) == b'-' || s.byte_at(0) == b'+') {
        neg = s.byte_at(0) == b'-';
        s = s.slice(1, s.len());
    }
    let mut base = base_in;
    if s.len() >= 2 && s.byte_at(0) == b'0' {
        let p = s.byte_at(1) | 32;
        let pb = if p == b'x' {
            16
        } else if p == b'o' {
            8
        } else if p == b'b' {
            2
        } else {
            0
        };
        if pb != 0 && (base == 0 || base == pb) {
            base = pb;
            s = s.slice(2, s.len());
            if s.len() > 0 && s.byte_at(0) == b'_' {
                s = s.slice(1, s.len());
            }
        }
    }
    if base == 0 {
        base = 10;
        if s.len() > 1 && s.byte_at(0) == b'0' {
            // "010" is invalid with base 0.
            let mut all_zero = true;
            for i in 0..s.len() {
                if s.byte_at(i) != b'0' && s.byte_at(i) != b'_' {
                    all_zero = false;
                }
            }
            if !all_zero {
                base = -1;
            }
        }
    }
    // Underscores only between digits.
    let digits = StrBuilder::new();
    let mut ok = s.len() > 0 && base > 0;
    for i in 0..s.len() {
        let c = s.byte_at(i);
        if c == b'_' {
            if i == 0 || i + 1 == s.len() || s.byte_at(i + 1) == b'_' {
                ok = false;
            }
        } else {
            digits.push_byte(c);
        }
    }
    if ok {
        let text = digits.build();
        let limit = vm.int_max_str_digits.get();
        if base == 10 && limit > 0 && text.len() as i64 > limit {
            return value_error(
                vm,
                Str::from("Exceeds the limit (")
                    .concat(Str::from_i64(limit))
                    .concat(Str::from(
                        " digits) for integer string conversion: value has ",
                    ))
                    .concat(Str::from_i64(text.len() as i64))
                    .concat(Str::from(
                        " digits; use sys.set_int_max_str_digits() to increase the limit",
                    )),
            );
        }
        if let Some(b) = bigint::from_str(text, base) {
            let b = if neg { bigint::neg(b) } else { b };
            return Ok(ops::long_value(vm, b));
        }
    }
    let shown = if base_in == 0 { 0 } else { base_in };
    value_error(
        vm,
        Str::from("invalid literal for int() with base ")
            .concat(Str::from_i64(shown))
            .concat(Str::from(": "))
            .concat(ops::repr(vm, orig)?),
    )
}

/// `int(x)`.
pub fn to_int(vm: Gc<Vm>, v: Value, base: Value) -> Result<Value, Value> {
    if !base.is_null() {
        let b = ops::index_of(vm, base)?;
        if b != 0 && (b < 2 || b > 36) {
            return value_error(vm, Str::from("int() base must be >= 2 and <= 36, or 0"));
        }
        return match strs::as_str(v) {
            Some(s) => parse_int_text(vm, s, b, v),
            None => {
                if crate::bytes::is_bytes_like(v) {
                    let s = crate::bytes::bytes_of(vm, v)?;
                    return parse_int_text(vm, s, b, v);
                }
                type_error(
                    vm,
                    Str::from("int() can't convert non-string with explicit base"),
                )
            }
        };
    }
    match v {
        Value::Int(_) => return Ok(v),
        Value::Bool(b) => return Ok(Value::Int(b as i64)),
        Value::Float(f) => {
            if f != f {
                return value_error(vm, Str::from("cannot convert float NaN to integer"));
            }
            if ops::is_inf(f) {
                return err(
                    vm,
                    T_OVERFLOW_ERROR,
                    Str::from("cannot convert float infinity to integer"),
                );
            }
            return Ok(ops::long_value(vm, bigint::from_f64(f)));
        }
        _ => {}
    }
    if let Value::Obj(o) = v {
        if is_user_class(o.cls.get()) {
            let mut f = lookup_user(o.cls.get(), Str::from("__int__"));
            if f.is_null() {
                f = lookup_user(o.cls.get(), Str::from("__index__"));
            }
            if f.is_null() {
                f = lookup_user(o.cls.get(), Str::from("__trunc__"));
            }
            if !f.is_null() {
                return call::call1(vm, f, v);
            }
        }
        match o.kind {
            Kind::Long(b) => return Ok(ops::long_value(vm, b)),
            Kind::Str(s, _) => return parse_int_text(vm, s, 10, v),
            Kind::Bytes(s) => return parse_int_text(vm, s, 10, v),
            _ => {}
        }
    }
    type_error(
        vm,
        Str::from("int() argument must be a string, a bytes-like object or a real number, not '")
            .concat(type_name(vm, v))
            .concat(Str::from("'")),
    )
}

/// `float(x)`.
pub fn to_float(vm: Gc<Vm>, v: Value) -> Result<f64, Value> {
    if let Some(f) = ops::float_view(vm, v)? {
        return Ok(f);
    }
    if let Value::Obj(o) = v {
        if is_user_class(o.cls.get()) {
            let f = lookup_user(o.cls.get(), Str::from("__float__"));
            if !f.is_null() {
                let r = call::call1(vm, f, v)?;
                if let Value::Float(x) = r {
                    return Ok(x);
                }
                return Err(new_exc(
                    vm,
                    T_TYPE_ERROR,
                    Str::from("__float__ returned non-float"),
                ));
            }
            let f = lookup_user(o.cls.get(), Str::from("__index__"));
            if !f.is_null() {
                let r = call::call1(vm, f, v)?;
                return to_float(vm, r);
            }
        }
        if let Kind::Str(s, _) = o.kind {
            let t = strs::to_lower(strs::strip_bytes(s));
            let mut body = t;
            let mut sign = 1.0;
            if body.len() > 0 && (body.byte_at(0) == b'-' || body.byte_at(0) == b'+') {
                if body.byte_at(0) == b'-' {
                    sign = -1.0;
                }
                body = body.slice(1, body.len());
            }
            if body == Str::from("inf") || body == Str::from("infinity") {
                return Ok(sign * f64::INFINITY);
            }
            if body == Str::from("nan") {
                return Ok(new_nan(vm, sign < 0.0));
            }
            let clean = StrBuilder::new();
            let mut ok = body.len() > 0;
            for i in 0..t.len() {
                let c = t.byte_at(i);
                if c == b'_' {
                    if i == 0
                        || i + 1 == t.len()
                        || !strs::is_digit_byte(t.byte_at(i - 1))
                        || !strs::is_digit_byte(t.byte_at(i + 1))
                    {
                        ok = false;
                    }
                } else if strs::is_digit_byte(c) || c == b'.' || c == b'e' || c == b'-' || c == b'+'
                {
                    clean.push_byte(c);
                } else {
                    ok = false;
                }
            }
            if ok {
                if let Some(f) = clean.build().parse_f64() {
                    return Ok(f);
                }
            }
            return Err(new_exc(
                vm,
                T_VALUE_ERROR,
                Str::from("could not convert string to float: ").concat(ops::repr(vm, v)?),
            ));
        }
    }
    Err(new_exc(
        vm,
        T_TYPE_ERROR,
        Str::from("float() argument must be a string or a real number, not '")
            .concat(type_name(vm, v))
            .concat(Str::from("'")),
    ))
}

fn with_class(vm: Gc<Vm>, cls: Value, v: Value) -> Value {
    // A subclass of a built-in gets its own object with the built-in's data.
    let _ = vm;
    if let Value::Obj(o) = v {
        if !same(o.cls.get(), cls) {
            return Value::Obj(Gc::new(Object {
                cls: Mut::new(cls),
                kind: o.kind,
                attrs: Mut::new(Some(GcMap::new())),
                shape: Mut::new(None),
                slots: Mut::new(None),
                ident: Mut::new(0),
            }));
        }
        return v;
    }
    // Immediate values (int, float, bool) of a subclass are boxed.
    let kind = match v {
        Value::Int(i) => Kind::Long(bigint::from_i64(i)),
        Value::Bool(b) => Kind::Long(bigint::from_i64(b as i64)),
        Value::Float(f) => Kind::Long(bigint::from_f64(f)),
        _ => Kind::Plain,
    };
    if let Value::Float(f) = v {
        let o = new_obj_with_attrs(cls, Kind::Plain);
        if let Value::Obj(ob) = o {
            if let Some(a) = ob.attrs.get() {
                a.insert(Str::from("__float_value__"), Value::Float(f));
            }
        }
        return o;
    }
    new_obj_with_attrs(cls, kind)
}

/// Calls a built-in class (or a user subclass of one, `cls`) to create an instance.
pub fn construct(
    vm: Gc<Vm>,
    layout: i64,
    cls: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = npos(args, names);
    let exact = same(cls, ty(vm, layout));
    let a0 = if n > 0 { args.get(0) } else { Value::Null };
    let r = match layout {
        T_OBJECT => new_obj_with_attrs(cls, Kind::Plain),
        T_INT => {
            let base = arg_or(args, names, 1, Str::from("base"), Value::Null);
            if a0.is_null() {
                Value::Int(0)
            } else {
                to_int(vm, a0, base)?
            }
        }
        T_BOOL => Value::Bool(if a0.is_null() {
            false
        } else {
            ops::truthy(vm, a0)?
        }),
        T_FLOAT => Value::Float(if a0.is_null() { 0.0 } else { to_float(vm, a0)? }),
        T_STR => {
            if a0.is_null() {
                strs::new_str(vm, Str::from(""))
            } else if n >= 2 && crate::bytes::is_bytes_like(a0) {
                crate::strmethods::decode(
                    vm,
                    a0,
                    args.get(1),
                    if n > 2 { args.get(2) } else { Value::Null },
                )?
            } else {
                strs::new_str(vm, ops::str_of(vm, a0)?)
            }
        }
        T_LIST => {
            let l = if a0.is_null() {
                GcList::new()
            } else {
                ops::to_list(vm, a0)?
            };
            ops::new_list(vm, l)
        }
        T_TUPLE => {
            if a0.is_null() {
                vm.empty_tuple
            } else {
                let l = ops::to_list(vm, a0)?;
                let t = GcArray::new(l.len(), Value::Nil);
                for i in 0..l.len() {
                    t.set(i, l.get(i));
                }
                ops::new_tuple(vm, t)
            }
        }
        T_DICT => {
            let d = crate::dict::new_dict(vm);
            if !a0.is_null() {
                crate::dict::update(vm, d, a0)?;
            }
            for i in 0..names.len() {
                crate::dict::setitem(vm, d, strs::new_str(vm, names.get(i)), args.get(n + i))?;
            }
            d
        }
        T_SET | T_FROZENSET => {
            let l = if a0.is_null() {
                GcList::new()
            } else {
                ops::to_list(vm, a0)?
            };
            crate::set::from_list(vm, l, layout)?
        }
        T_BYTES | T_BYTEARRAY => crate::strmethods::make_bytes(vm, layout, args, names)?,
        T_RANGE => {
            if n < 1 || n > 3 {
                return type_error(
                    vm,
                    Str::from("range expected at least 1 argument, got ")
                        .concat(Str::from_i64(n as i64)),
                );
            }
            let (a, b, c) = if n == 1 {
                (
                    Value::Int(0),
                    ops::index_value(vm, args.get(0))?,
                    Value::Int(1),
                )
            } else {
                (
                    ops::index_value(vm, args.get(0))?,
                    ops::index_value(vm, args.get(1))?,
                    if n == 3 {
                        ops::index_value(vm, args.get(2))?
                    } else {
                        Value::Int(1)
                    },
                )
            };
            if let Value::Int(0) = c {
                return value_error(vm, Str::from("range() arg 3 must not be zero"));
            }
            crate::bigrange::make(vm, a, b, c)
        }
        T_SLICE => {
            let (a, b, c) = if n == 1 {
                (Value::Nil, args.get(0), Value::Nil)
            } else {
                (
                    args.get(0),
                    args.get(1),
                    if n == 3 { args.get(2) } else { Value::Nil },
                )
            };
            new_obj(ty(vm, T_SLICE), Kind::Slice(a, b, c))
        }
        T_PROPERTY => {
            let g = arg_or(args, names, 0, Str::from("fget"), Value::Nil);
            let s = arg_or(args, names, 1, Str::from("fset"), Value::Nil);
            let d = arg_or(args, names, 2, Str::from("fdel"), Value::Nil);
            new_obj_with_attrs(cls, Kind::Property(g, s, d))
        }
        T_STATICMETHOD => new_obj(cls, Kind::StaticMethod(a0)),
        T_CLASSMETHOD => new_obj(cls, Kind::ClassMethod(a0)),
        T_SUPER => {
            if n != 2 {
                return Err(new_exc(
                    vm,
                    T_RUNTIME_ERROR,
                    Str::from("super(): no arguments"),
                ));
            }
            new_obj(cls, Kind::Super(args.get(0), args.get(1)))
        }
        T_ENUMERATE => {
            let it = iter::get_iter(vm, a0)?;
            let start = arg_or(args, names, 1, Str::from("start"), Value::Int(0));
            let s = ops::index_of(vm, start)?;
            iter::new_iter(vm, T_ENUMERATE, iter::IT_ENUMERATE, it, s, 1, Value::Nil)
        }
        T_ZIP => {
            let its = GcArray::new(n, Value::Nil);
            for i in 0..n {
                its.set(i, iter::get_iter(vm, args.get(i))?);
            }
            let strict = kwarg(args, names, Str::from("strict"));
            let st = if strict.is_null() {
                0
            } else if ops::truthy(vm, strict)? {
                1
            } else {
                0
            };
            iter::new_iter(
                vm,
                T_ZIP,
                iter::IT_ZIP,
                ops::new_tuple(vm, its),
                0,
                st,
                Value::Nil,
            )
        }
        T_MAP => {
            if n < 2 {
                return type_error(vm, Str::from("map() must have at least two arguments."));
            }
            let its = GcArray::new(n - 1, Value::Nil);
            for i in 1..n {
                its.set(i - 1, iter::get_iter(vm, args.get(i))?);
            }
            iter::new_iter(vm, T_MAP, iter::IT_MAP, ops::new_tuple(vm, its), 0, 1, a0)
        }
        T_FILTER => {
            let it = iter::get_iter(vm, args.get(1))?;
            iter::new_iter(vm, T_FILTER, iter::IT_FILTER, it, 0, 1, a0)
        }
        T_REVERSED => {
            if let Value::Obj(o) = a0 {
                if is_user_class(o.cls.get()) {
                    let f = lookup_user(o.cls.get(), Str::from("__reversed__"));
                    if !f.is_null() {
                        return call::call1(vm, f, a0);
                    }
                }
                let mut view_keys = false;
                if let Kind::Iter(st) = o.kind {
                    view_keys = st.kind >= iter::VIEW_KEYS;
                }
                if let Kind::Dict(_) = o.kind {
                    view_keys = true;
                }
                if view_keys {
                    // Dicts and their views iterate in reverse insertion order.
                    let items = ops::to_list(vm, a0)?;
                    let lv = ops::new_list(vm, items);
                    return Ok(iter::new_iter(
                        vm,
                        T_REVERSED,
                        iter::IT_REVERSED,
                        lv,
                        items.len() as i64 - 1,
                        1,
                        Value::Nil,
                    ));
                }
                match o.kind {
                    Kind::Set(_) | Kind::Iter(_) | Kind::Generator(_) => {
                        return type_error(
                            vm,
                            Str::from("'")
                                .concat(type_name(vm, a0))
                                .concat(Str::from("' object is not reversible")),
                        )
                    }
                    _ => {}
                }
            }
            let len = len_of(vm, a0)?;
            iter::new_iter(
                vm,
                T_REVERSED,
                iter::IT_REVERSED,
                a0,
                len - 1,
                1,
                Value::Nil,
            )
        }
        T_BASE_EXCEPTION => {
            let t = GcArray::new(n, Value::Nil);
            for i in 0..n {
                t.set(i, args.get(i));
            }
            let e = new_exc_obj(cls, ops::new_tuple(vm, t));
            return Ok(e);
        }
        T_TYPE => return call_metaclass(vm, cls, args, names),
        T_NONE => return Ok(Value::Nil),
        _ => {
            return type_error(
                vm,
                Str::from("cannot create '")
                    .concat(class_data(cls).name.get())
                    .concat(Str::from("' instances")),
            )
        }
    };
    if exact {
        return Ok(r);
    }
    Ok(with_class(vm, cls, r))
}

// ---------------------------------------------------------------------------------------------
// Special attributes

pub fn special_attr(vm: Gc<Vm>, o: Value, name: Str) -> Result<Value, Value> {
    if name == Str::from("__class__") {
        return Ok(class_of(vm, o));
    }
    if let Value::Obj(ob) = o {
        match ob.kind {
            Kind::Class(cd) => {
                if name == Str::from("__name__") {
                    return Ok(strs::new_str(vm, cd.name.get()));
                }
                if name == Str::from("__qualname__") {
                    return Ok(strs::new_str(vm, cd.qualname.get()));
                }
                if name == Str::from("__mro__") {
                    return Ok(ops::new_tuple(vm, cd.mro.get()));
                }
                if name == Str::from("__bases__") {
                    let b = cd.bases.get();
                    return Ok(ops::new_tuple(vm, b));
                }
                if name == Str::from("__base__") {
                    let b = cd.bases.get();
                    return Ok(if b.len() > 0 { b.get(0) } else { Value::Nil });
                }
                if name == Str::from("__dict__") {
                    let d = crate::dict::new_dict(vm);
                    for i in 0..cd.dict.len() {
                        crate::dict::setitem(
                            vm,
                            d,
                            strs::new_str(vm, cd.dict.key_at(i)),
                            cd.dict.value_at(i),
                        )?;
                    }
                    return Ok(d);
                }
                if name == Str::from("__doc__") {
                    return Ok(Value::Nil);
                }
                if name == Str::from("__subclasses__") {
                    return Ok(Value::Null);
                }
            }
            Kind::Function(f) => {
                if name == Str::from("__name__") {
                    return Ok(strs::new_str(vm, f.name.get()));
                }
                if name == Str::from("__qualname__") {
                    return Ok(strs::new_str(vm, f.qualname.get()));
                }
                if name == Str::from("__module__") {
                    return Ok(f.module);
                }
                if name == Str::from("__doc__") {
                    return Ok(function_doc(vm, f));
                }
                if name == Str::from("__defaults__") {
                    let d = f.defaults.get();
                    return Ok(if d.len() == 0 {
                        Value::Nil
                    } else {
                        ops::new_tuple(vm, d)
                    });
                }
                if name == Str::from("__kwdefaults__") {
                    let k = f.kwdefaults.get();
                    return Ok(if k.is_null() { Value::Nil } else { k });
                }
                if name == Str::from("__dict__") {
                    return attrs_dict(vm, ob);
                }
                if name == Str::from("__code__") {
                    return Ok(new_obj(ty(vm, T_CODE), Kind::Code(f.code)));
                }
                if name == Str::from("__closure__") {
                    return Ok(if f.closure.len() == 0 {
                        Value::Nil
                    } else {
                        ops::new_tuple(vm, f.closure)
                    });
                }
                if name == Str::from("__globals__") {
                    return Ok(Value::Nil);
                }
                if name == Str::from("__wrapped__") {
                    return Ok(Value::Null);
                }
            }
            Kind::Code(c) => {
                if name == Str::from("co_name") {
                    return Ok(strs::new_str(vm, c.name));
                }
                if name == Str::from("co_argcount") {
                    return Ok(Value::Int(c.argcount));
                }
                if name == Str::from("co_varnames") {
                    let t = GcArray::new(c.varnames.len(), Value::Nil);
                    for i in 0..t.len() {
                        t.set(i, strs::new_str(vm, c.varnames.get(i)));
                    }
                    return Ok(ops::new_tuple(vm, t));
                }
                if name == Str::from("co_filename") {
                    return Ok(strs::new_str(vm, c.filename));
                }
                if name == Str::from("co_firstlineno") {
                    return Ok(Value::Int(c.firstlineno));
                }
                if name == Str::from("co_kwonlyargcount") {
                    return Ok(Value::Int(c.kwonlyargcount));
                }
                if name == Str::from("co_posonlyargcount") {
                    return Ok(Value::Int(c.posonlyargcount));
                }
                if name == Str::from("co_flags") {
                    return Ok(Value::Int(c.flags));
                }
                if name == Str::from("co_qualname") {
                    return Ok(strs::new_str(vm, c.qualname));
                }
                if name == Str::from("co_nlocals") {
                    return Ok(Value::Int(c.varnames.len() as i64));
                }
                if name == Str::from("co_freevars") || name == Str::from("co_cellvars") {
                    let src = if name == Str::from("co_freevars") {
                        c.freevars
                    } else {
                        c.cellvars
                    };
                    let t = GcArray::new(src.len(), Value::Nil);
                    for i in 0..t.len() {
                        t.set(i, strs::new_str(vm, src.get(i)));
                    }
                    return Ok(ops::new_tuple(vm, t));
                }
            }
            Kind::Method(f, s) => {
                if name == Str::from("__func__") {
                    return Ok(f);
                }
                if name == Str::from("__self__") {
                    return Ok(s);
                }
                if name == Str::from("__name__")
                    || name == Str::from("__qualname__")
                    || name == Str::from("__doc__")
                    || name == Str::from("__module__")
                {
                    return ops::getattr_opt(vm, f, name);
                }
            }
            Kind::Builtin(id, s) => {
                if name == Str::from("__name__") || name == Str::from("__qualname__") {
                    return Ok(strs::new_str(vm, builtin_name(id)));
                }
                if name == Str::from("__self__") {
                    return Ok(s);
                }
                if name == Str::from("__doc__") {
                    return Ok(Value::Nil);
                }
            }
            Kind::Module(m) => {
                if name == Str::from("__name__") {
                    return Ok(strs::new_str(vm, m.name));
                }
                if name == Str::from("__dict__") {
                    return attrs_dict(vm, ob);
                }
            }
            Kind::Exception(d) => {
                if name == Str::from("args") {
                    return Ok(d.args.get());
                }
                if name == Str::from("__cause__") {
                    return Ok(d.cause.get());
                }
                if name == Str::from("__context__") {
                    return Ok(d.context.get());
                }
                if name == Str::from("__suppress_context__") {
                    return Ok(Value::Bool(d.suppress.get()));
                }
                if name == Str::from("__traceback__") {
                    return Ok(if d.tb.len() > 0 {
                        Value::Bool(true)
                    } else {
                        Value::Nil
                    });
                }
                if name == Str::from("value") && is_instance_id(vm, o, T_STOP_ITERATION) {
                    return Ok(iter::stop_value(vm, o));
                }
                if name == Str::from("code") && is_instance_id(vm, o, T_SYSTEM_EXIT) {
                    return Ok(iter::stop_value(vm, o));
                }
                if name == Str::from("errno") && is_instance_id(vm, o, T_OS_ERROR) {
                    let a = ops::tuple_items(d.args.get());
                    return Ok(if a.len() >= 2 { a.get(0) } else { Value::Nil });
                }
                if name == Str::from("strerror") && is_instance_id(vm, o, T_OS_ERROR) {
                    let a = ops::tuple_items(d.args.get());
                    return Ok(if a.len() >= 2 { a.get(1) } else { Value::Nil });
                }
                if name == Str::from("filename") && is_instance_id(vm, o, T_OS_ERROR) {
                    let a = ops::tuple_items(d.args.get());
                    return Ok(if a.len() >= 3 { a.get(2) } else { Value::Nil });
                }
                if name == Str::from("name") && is_instance_id(vm, o, T_IMPORT_ERROR) {
                    return Ok(Value::Nil);
                }
            }
            Kind::Property(g, s, d) => {
                if name == Str::from("fget") {
                    return Ok(g);
                }
                if name == Str::from("fset") {
                    return Ok(s);
                }
                if name == Str::from("fdel") {
                    return Ok(d);
                }
                if name == Str::from("setter")
                    || name == Str::from("getter")
                    || name == Str::from("deleter")
                {
                    let which = if name == Str::from("getter") {
                        0
                    } else if name == Str::from("setter") {
                        1
                    } else {
                        2
                    };
                    return Ok(new_obj(
                        ty(vm, T_BUILTIN),
                        Kind::Builtin(MODULE_BASE - 1 - which, o),
                    ));
                }
                if name == Str::from("__doc__") {
                    return Ok(Value::Nil);
                }
            }
            Kind::StaticMethod(f) | Kind::ClassMethod(f) => {
                if name == Str::from("__func__") {
                    return Ok(f);
                }
            }
            Kind::Range(_, _, _) | Kind::BigRange(_, _, _) => {
                let (a, b, c) = match ob.kind {
                    Kind::Range(a, b, c) => (Value::Int(a), Value::Int(b), Value::Int(c)),
                    Kind::BigRange(a, b, c) => (a, b, c),
                    _ => (Value::Nil, Value::Nil, Value::Nil),
                };
                if name == Str::from("start") {
                    return Ok(a);
                }
                if name == Str::from("stop") {
                    return Ok(b);
                }
                if name == Str::from("step") {
                    return Ok(c);
                }
            }
            Kind::Slice(a, b, c) => {
                if name == Str::from("start") {
                    return Ok(a);
                }
                if name == Str::from("stop") {
                    return Ok(b);
                }
                if name == Str::from("step") {
                    return Ok(c);
                }
            }
            Kind::Generator(f) => {
                if name == Str::from("__name__") {
                    return Ok(strs::new_str(vm, f.gen_name.get()));
                }
                if name == Str::from("__qualname__") {
                    return Ok(strs::new_str(vm, f.gen_qualname.get()));
                }
                if name == Str::from("gi_running") {
                    return Ok(Value::Bool(f.gen_state.get() == 2));
                }
            }
            Kind::File(f) => {
                if name == Str::from("closed") {
                    return Ok(Value::Bool(f.closed.get()));
                }
                if name == Str::from("name") {
                    return Ok(strs::new_str(vm, f.path));
                }
                if name == Str::from("mode") {
                    return Ok(strs::new_str(vm, f.mode));
                }
            }
            Kind::Super(c, obj) => {
                return super_getattr(vm, c, obj, name);
            }
            _ => {}
        }
        if name == Str::from("__dict__") {
            return instance_dict(vm, ob);
        }
    }
    match o {
        Value::Int(_) | Value::Bool(_) => {
            if name == Str::from("real") || name == Str::from("numerator") {
                return Ok(o);
            }
            if name == Str::from("imag") {
                return Ok(Value::Int(0));
            }
            if name == Str::from("denominator") {
                return Ok(Value::Int(1));
            }
        }
        Value::Float(_) => {
            if name == Str::from("real") {
                return Ok(o);
            }
            if name == Str::from("imag") {
                return Ok(Value::Float(0.0));
            }
        }
        _ => {}
    }
    Ok(Value::Null)
}

fn function_doc(vm: Gc<Vm>, f: Gc<Function>) -> Value {
    // The compiler puts the docstring first among the constants when there is one.
    let _ = vm;
    if f.code.consts.len() > 0 {
        let c = f.code.consts.get(0);
        if strs::as_str(c).is_some() && f.code.ops.len() > 0 {
            return c;
        }
    }
    Value::Nil
}

/// The `__dict__` of an instance (Null when it has none: instances of classes with
/// `__slots__`, of built-in classes without attributes).
fn instance_dict(vm: Gc<Vm>, ob: Gc<Object>) -> Result<Value, Value> {
    let cls = ob.cls.get();
    if !is_user_class(cls) {
        if ob.attrs.get().is_some() {
            return attrs_dict(vm, ob);
        }
        return Ok(Value::Null);
    }
    if slots_of(vm, cls).is_some() {
        return Ok(Value::Null);
    }
    attrs_dict(vm, ob)
}

/// An object's attributes as a dict (`__dict__`): a live view of its attribute map, created
/// if the object has none yet.
fn attrs_dict(vm: Gc<Vm>, ob: Gc<Object>) -> Result<Value, Value> {
    let a = match attr_map(ob) {
        Some(a) => a,
        None => {
            let a: GcMap<Str, Value> = GcMap::new();
            ob.attrs.set(Some(a));
            a
        }
    };
    Ok(crate::dict::new_map_view(vm, a))
}

/// Attribute lookup through `super(cls, obj)`: the MRO of obj's type after `cls`.
fn super_getattr(vm: Gc<Vm>, cls: Value, obj: Value, name: Str) -> Result<Value, Value> {
    let start = if as_class(obj).is_some() && is_subclass(obj, cls) {
        obj
    } else {
        class_of(vm, obj)
    };
    let mro = class_data(start).mro.get();
    let mut i: usize = 0;
    while i < mro.len() && !same(mro.get(i), cls) {
        i += 1;
    }
    i += 1;
    while i < mro.len() {
        let d = class_data(mro.get(i));
        if let Some(v) = d.dict.get(name) {
            if let Value::Obj(vo) = v {
                match vo.kind {
                    Kind::Function(_) => {
                        if as_class(obj).is_some() && is_subclass(obj, cls) {
                            return Ok(v);
                        }
                        return Ok(new_obj(ty(vm, T_METHOD), Kind::Method(v, obj)));
                    }
                    Kind::Builtin(id, s) => {
                        if !s.is_null() {
                            return Ok(v);
                        }
                        return Ok(new_obj(ty(vm, T_BUILTIN), Kind::Builtin(id, obj)));
                    }
                    Kind::ClassMethod(f) => {
                        let c = if as_class(obj).is_some() {
                            obj
                        } else {
                            class_of(vm, obj)
                        };
                        return Ok(new_obj(ty(vm, T_METHOD), Kind::Method(f, c)));
                    }
                    Kind::StaticMethod(f) => return Ok(f),
                    Kind::Property(g, _, _) => return call::call1(vm, g, obj),
                    _ => return Ok(v),
                }
            }
            return Ok(v);
        }
        i += 1;
    }
    Err(new_exc(
        vm,
        T_ATTRIBUTE_ERROR,
        Str::from("'super' object has no attribute '")
            .concat(name)
            .concat(Str::from("'")),
    ))
}

/// `file.readline()`.
pub fn file_readline(vm: Gc<Vm>, f: Value) -> Result<Value, Value> {
    crate::modules::file_method(vm, F_READLINE, f, GcArray::new(0, Value::Nil), vm.no_names)
}

// ---------------------------------------------------------------------------------------------
// Methods

fn call_method(
    vm: Gc<Vm>,
    id: i64,
    selfv: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = npos(args, names);
    if id >= L_APPEND && id <= L_INIT {
        let l = match ops::as_list(selfv) {
            Some(l) => l,
            None => return type_error(vm, Str::from("descriptor requires a 'list' object")),
        };
        return list_method(vm, id, selfv, l, args, names);
    }
    if id >= D_GET && id <= D_INIT {
        if id == D_FROMKEYS {
            // dict.fromkeys(iterable, value) as a classmethod: selfv is the class.
            let d = if as_class(selfv).is_some() && !same(selfv, ty(vm, T_DICT)) {
                call::call(vm, selfv, GcArray::new(0, Value::Nil), vm.no_names)?
            } else {
                crate::dict::new_dict(vm)
            };
            let keys = ops::to_list(vm, args.get(0))?;
            let v = if n > 1 { args.get(1) } else { Value::Nil };
            for i in 0..keys.len() {
                crate::dict::setitem(vm, d, keys.get(i), v)?;
            }
            return Ok(d);
        }
        if !crate::dict::is_dict(selfv) {
            return type_error(vm, Str::from("descriptor requires a 'dict' object"));
        }
        return dict_method(vm, id, selfv, args, names);
    }
    if id >= SET_ADD && id <= SET_SYMDIFF_UPDATE {
        return set_method(vm, id, selfv, args, names);
    }
    match id {
        T_INDEX_M | T_COUNT_M => {
            let t = ops::tuple_items(selfv);
            if n == 0 {
                return type_error(
                    vm,
                    builtin_name(id).concat(Str::from("() takes at least 1 argument (0 given)")),
                );
            }
            let x = args.get(0);
            let mut count = 0;
            let len = t.len() as i64;
            let mut lo = if n > 1 && id == T_INDEX_M {
                ops::index_of(vm, args.get(1))?
            } else {
                0
            };
            let mut hi = if n > 2 && id == T_INDEX_M {
                ops::index_of(vm, args.get(2))?
            } else {
                len
            };
            if lo < 0 {
                lo = if lo + len < 0 { 0 } else { lo + len };
            }
            if hi < 0 {
                hi = if hi + len < 0 { 0 } else { hi + len };
            }
            if hi > len {
                hi = len;
            }
            for i in 0..t.len() {
                if (i as i64) < lo || (i as i64) >= hi {
                    continue;
                }
                if ops::eq(vm, t.get(i), x)? {
                    if id == T_INDEX_M {
                        return Ok(Value::Int(i as i64));
                    }
                    count += 1;
                }
            }
            if id == T_INDEX_M {
                return value_error(vm, Str::from("tuple.index(x): x not in tuple"));
            }
            Ok(Value::Int(count))
        }
        I_BIT_LENGTH => match ops::int_view(selfv) {
            IntView::Small(i) => {
                let mut m = if i < 0 {
                    0u64.wrapping_sub(i as u64)
                } else {
                    i as u64
                };
                let mut b = 0;
                while m != 0 {
                    m >>= 1;
                    b += 1;
                }
                Ok(Value::Int(b))
            }
            IntView::Big(b) => Ok(Value::Int(bigint::bit_length(b))),
            IntView::NotInt => Ok(Value::Int(0)),
        },
        I_TO_BYTES | I_FROM_BYTES | I_BIT_COUNT | I_AS_RATIO | I_CONJUGATE | F_AS_RATIO
        | BY_FROMHEX | BA_EXTEND | BA_POP | BA_INSERT | BA_REVERSE | BA_CLEAR | BA_REMOVE
        | R_INDEX | R_COUNT | SL_INDICES => crate::methods2::call(vm, id, selfv, args, names),
        F_HEX => match selfv {
            Value::Float(f) => Ok(strs::new_str(vm, crate::modules::py_float_hex(f))),
            _ => type_error(vm, Str::from("descriptor 'hex' requires a 'float' object")),
        },
        F_FROMHEX => {
            let text = str_arg(
                vm,
                if n > 0 { args.get(0) } else { Value::Null },
                Str::from("fromhex() argument"),
            )?;
            let r = crate::modules::py_float_fromhex(text);
            if r.is_empty() {
                return value_error(vm, Str::from("invalid hexadecimal floating-point string"));
            }
            let f = if r == Str::from("nan") {
                new_nan(vm, false)
            } else if r == Str::from("inf") {
                f64::INFINITY
            } else if r == Str::from("-inf") {
                0.0 - f64::INFINITY
            } else {
                r.parse_f64().unwrap_or(0.0)
            };
            Ok(Value::Float(f))
        }
        F_IS_INTEGER => match selfv {
            Value::Float(f) => Ok(Value::Bool(ops::is_finite(f) && f == f.floor())),
            _ => Ok(Value::Bool(false)),
        },
        G_SEND | G_THROW | G_CLOSE => generator_method(vm, id, selfv, args),
        IT_NEXT => {
            let v = next_or_stop(vm, selfv)?;
            if v.is_null() {
                return Err(stop_iteration(vm, selfv));
            }
            Ok(v)
        }
        IT_ITER => Ok(selfv),
        TY_MRO => {
            let m = class_data(selfv).mro.get();
            let l: GcList<Value> = GcList::new();
            for i in 0..m.len() {
                l.push(m.get(i));
            }
            Ok(ops::new_list(vm, l))
        }
        O_INIT => Ok(Value::Nil),
        O_NEW => {
            // object.__new__(cls)
            let cls = if args.len() > 0 { args.get(0) } else { selfv };
            if as_class(cls).is_none() {
                return type_error(vm, Str::from("object.__new__(X): X is not a type object"));
            }
            let layout = class_data(cls).builtin;
            if layout == T_OBJECT {
                return Ok(new_obj_with_attrs(cls, Kind::Plain));
            }
            construct(vm, layout, cls, GcArray::new(0, Value::Nil), vm.no_names)
        }
        O_BUILTIN_NEW => {
            // int.__new__(cls, ...) etc.: the receiver is the built-in type.
            if args.len() == 0 {
                return type_error(vm, Str::from("__new__(): not enough arguments"));
            }
            let cls = args.get(0);
            let rest = GcArray::new(args.len() - 1, Value::Nil);
            for i in 1..args.len() {
                rest.set(i - 1, args.get(i));
            }
            construct(vm, class_data(selfv).builtin, cls, rest, names)
        }
        O_SETATTR => {
            let name = str_arg(vm, args.get(0), Str::from("attribute name"))?;
            ops::generic_setattr(vm, selfv, name, args.get(1))
        }
        O_DELATTR => {
            let name = str_arg(vm, args.get(0), Str::from("attribute name"))?;
            if let Value::Obj(o) = selfv {
                if let Some(a) = attr_map(o) {
                    if a.remove(name).is_some() {
                        return Ok(Value::Nil);
                    }
                }
            }
            Err(ops::attr_error(vm, selfv, name))
        }
        O_GETATTRIBUTE => {
            let name = str_arg(vm, args.get(0), Str::from("attribute name"))?;
            // The generic lookup, never the class's own __getattribute__ (which may be the
            // caller: `object.__getattribute__(self, name)` inside an override).
            let v = ops::generic_getattr_opt(vm, selfv, name)?;
            if !v.is_null() {
                return Ok(v);
            }
            Err(ops::attr_error(vm, selfv, name))
        }
        O_EQ => Ok(if same(selfv, args.get(0)) {
            Value::Bool(true)
        } else {
            vm.not_implemented
        }),
        O_NE => Ok(if same(selfv, args.get(0)) {
            Value::Bool(false)
        } else {
            vm.not_implemented
        }),
        O_HASH => Ok(Value::Int(ops::id_of(vm, selfv))),
        O_REPR => {
            if let Value::Obj(o) = selfv {
                let cd = class_data(o.cls.get());
                let module = match cd.dict.get(Str::from("__module__")) {
                    Some(m) => strs::as_str(m).unwrap_or(Str::from("__main__")),
                    None => Str::from("__main__"),
                };
                let addr = Str::from("0x").concat(strs::hex_digits(object_id(vm, o), 12));
                if let Kind::Plain = o.kind {
                    return Ok(strs::new_str(
                        vm,
                        Str::from("<")
                            .concat(module)
                            .concat(Str::from("."))
                            .concat(cd.qualname.get())
                            .concat(Str::from(" object at "))
                            .concat(addr)
                            .concat(Str::from(">")),
                    ));
                }
            }
            Ok(strs::new_str(vm, crate::repr::repr_no_user(vm, selfv)?))
        }
        O_STR => {
            let r = ops::repr(vm, selfv)?;
            Ok(strs::new_str(vm, r))
        }
        O_INIT_SUBCLASS => Ok(Value::Nil),
        O_FORMAT => {
            let spec = if n > 0 {
                strs::as_str(args.get(0)).unwrap_or(Str::from(""))
            } else {
                Str::from("")
            };
            if !spec.is_empty() {
                return type_error(
                    vm,
                    Str::from("unsupported format string passed to ")
                        .concat(type_name(vm, selfv))
                        .concat(Str::from(".__format__")),
                );
            }
            Ok(strs::new_str(vm, ops::str_of(vm, selfv)?))
        }
        E_INIT => {
            if let Some(d) = exc_data(selfv) {
                let t = GcArray::new(n, Value::Nil);
                for i in 0..n {
                    t.set(i, args.get(i));
                }
                d.args.set(ops::new_tuple(vm, t));
            }
            Ok(Value::Nil)
        }
        E_WITH_TRACEBACK => Ok(selfv),
        F_READ | F_WRITE | F_READLINE | F_READLINES | F_CLOSE | F_ENTER | F_EXIT | F_FLUSH
        | F_SEEK | F_TELL | F_WRITELINES => crate::modules::file_method(vm, id, selfv, args, names),
        BY_DECODE => {
            let enc = arg_or(args, names, 0, Str::from("encoding"), Value::Null);
            let errs = arg_or(args, names, 1, Str::from("errors"), Value::Null);
            crate::strmethods::decode(vm, selfv, enc, errs)
        }
        BY_HEX => {
            let s = crate::bytes::bytes_of(vm, selfv)?;
            let sep_v = arg_or(args, names, 0, Str::from("sep"), Value::Null);
            let per_v = arg_or(args, names, 1, Str::from("bytes_per_sep"), Value::Int(1));
            let sep = if sep_v.is_null() {
                Str::from("")
            } else if crate::bytes::is_bytes_like(sep_v) {
                crate::bytes::bytes_of(vm, sep_v)?
            } else {
                str_arg(vm, sep_v, Str::from("sep"))?
            };
            let per = ops::index_of(vm, per_v)?;
            let k = if per < 0 { 0 - per } else { per };
            let k = if k == 0 { 1 } else { k as usize };
            let n = s.len();
            let b = StrBuilder::new();
            for i in 0..n {
                // Separators count groups from the right for positive bytes_per_sep.
                if i > 0 && !sep.is_empty() {
                    let boundary = if per > 0 {
                        (n - i) % k == 0
                    } else {
                        i % k == 0
                    };
                    if boundary {
                        b.push_str(sep);
                    }
                }
                b.push_str(strs::hex_digits(s.byte_at(i) as i64, 2));
            }
            Ok(strs::new_str(vm, b.build()))
        }
        BY_MAKETRANS => {
            let from = crate::bytes::bytes_of(vm, args.get(0))?;
            let to = crate::bytes::bytes_of(vm, args.get(1))?;
            if from.len() != to.len() {
                return value_error(vm, Str::from("maketrans arguments must have same length"));
            }
            let table = GcArray::new(256, 0u8);
            for i in 0..256 {
                table.set(i, i as u8);
            }
            for i in 0..from.len() {
                table.set(from.byte_at(i) as usize, to.byte_at(i));
            }
            let b = StrBuilder::new();
            for i in 0..256 {
                b.push_byte(table.get(i));
            }
            Ok(crate::bytes::new_bytes(vm, b.build()))
        }
        BY_TRANSLATE => {
            let s = crate::bytes::bytes_of(vm, selfv)?;
            let t = args.get(0);
            let table = if t.is_nil() {
                Str::from("")
            } else {
                crate::bytes::bytes_of(vm, t)?
            };
            if !t.is_nil() && table.len() != 256 {
                return value_error(
                    vm,
                    Str::from("translation table must be 256 characters long"),
                );
            }
            let del_v = arg_or(args, names, 1, Str::from("delete"), Value::Null);
            let del = if del_v.is_null() {
                Str::from("")
            } else {
                crate::bytes::bytes_of(vm, del_v)?
            };
            let b = StrBuilder::new();
            for i in 0..s.len() {
                let c = s.byte_at(i);
                let mut dropped = false;
                for j in 0..del.len() {
                    if del.byte_at(j) == c {
                        dropped = true;
                    }
                }
                if !dropped {
                    b.push_byte(if t.is_nil() {
                        c
                    } else {
                        table.byte_at(c as usize)
                    });
                }
            }
            let out = b.build();
            if let Value::Obj(o) = selfv {
                if let Kind::ByteArray(_) = o.kind {
                    return Ok(crate::bytes::new_bytearray(vm, out));
                }
            }
            Ok(crate::bytes::new_bytes(vm, out))
        }
        BA_APPEND => {
            if let Value::Obj(o) = selfv {
                if let Kind::ByteArray(l) = o.kind {
                    let c = ops::index_of(vm, args.get(0))?;
                    if c < 0 || c >= 256 {
                        return value_error(vm, Str::from("byte must be in range(0, 256)"));
                    }
                    l.push(c as u8);
                }
            }
            Ok(Value::Nil)
        }
        _ => {
            if id >= MODULE_BASE - 3 && id < MODULE_BASE {
                // property.getter/setter/deleter(f): a copy with one accessor replaced.
                let which = MODULE_BASE - 1 - id;
                if let Value::Obj(o) = selfv {
                    if let Kind::Property(g, s, d) = o.kind {
                        let f = args.get(0);
                        let k = if which == 0 {
                            Kind::Property(f, s, d)
                        } else if which == 1 {
                            Kind::Property(g, f, d)
                        } else {
                            Kind::Property(g, s, f)
                        };
                        return Ok(new_obj_with_attrs(o.cls.get(), k));
                    }
                }
            }
            type_error(
                vm,
                builtin_name(id).concat(Str::from("() is not supported by pyvm yet")),
            )
        }
    }
}

fn list_method(
    vm: Gc<Vm>,
    id: i64,
    selfv: Value,
    l: GcList<Value>,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = npos(args, names);
    match id {
        L_APPEND => {
            check_args(vm, id, args, names, 1, 1)?;
            l.push(args.get(0));
            Ok(Value::Nil)
        }
        L_EXTEND => {
            ops::extend_list(vm, l, args.get(0))?;
            Ok(Value::Nil)
        }
        L_POP => {
            if l.len() == 0 {
                return err(vm, T_INDEX_ERROR, Str::from("pop from empty list"));
            }
            if n == 0 {
                return Ok(l.pop().unwrap_or(Value::Nil));
            }
            let i = ops::index_of(vm, args.get(0))?;
            let k = if i < 0 { i + l.len() as i64 } else { i };
            if k < 0 || k >= l.len() as i64 {
                return err(vm, T_INDEX_ERROR, Str::from("pop index out of range"));
            }
            Ok(l.remove(k as usize))
        }
        L_INSERT => {
            let i = ops::index_of(vm, args.get(0))?;
            let len = l.len() as i64;
            let mut k = if i < 0 { i + len } else { i };
            if k < 0 {
                k = 0;
            }
            if k > len {
                k = len;
            }
            l.insert(k as usize, args.get(1));
            Ok(Value::Nil)
        }
        L_REMOVE => {
            let x = args.get(0);
            let mut i: usize = 0;
            while i < l.len() {
                if ops::eq(vm, l.get(i), x)? {
                    l.remove(i);
                    return Ok(Value::Nil);
                }
                i += 1;
            }
            value_error(vm, Str::from("list.remove(x): x not in list"))
        }
        L_INDEX => {
            let x = args.get(0);
            let start = if n > 1 {
                ops::index_of(vm, args.get(1))?
            } else {
                0
            };
            let mut i = if start < 0 {
                (start + l.len() as i64).max(0) as usize
            } else {
                start as usize
            };
            while i < l.len() {
                if ops::eq(vm, l.get(i), x)? {
                    return Ok(Value::Int(i as i64));
                }
                i += 1;
            }
            value_error(vm, ops::repr(vm, x)?.concat(Str::from(" is not in list")))
        }
        L_COUNT => {
            let x = args.get(0);
            let mut c = 0;
            let mut i: usize = 0;
            while i < l.len() {
                if ops::eq(vm, l.get(i), x)? {
                    c += 1;
                }
                i += 1;
            }
            Ok(Value::Int(c))
        }
        L_SORT => {
            if n > 0 {
                return type_error(vm, Str::from("sort() takes no positional arguments"));
            }
            let key = kwarg(args, names, Str::from("key"));
            let rev = kwarg(args, names, Str::from("reverse"));
            let reverse = if rev.is_null() {
                false
            } else {
                ops::truthy(vm, rev)?
            };
            sort_list(vm, l, key, reverse)?;
            Ok(Value::Nil)
        }
        L_REVERSE => {
            let k = l.len();
            for i in 0..k / 2 {
                let a = l.get(i);
                l.set(i, l.get(k - 1 - i));
                l.set(k - 1 - i, a);
            }
            Ok(Value::Nil)
        }
        L_COPY => Ok(ops::new_list(vm, ops::to_list(vm, selfv)?)),
        L_CLEAR => {
            l.clear();
            Ok(Value::Nil)
        }
        L_INIT => {
            l.clear();
            if n > 0 {
                ops::extend_list(vm, l, args.get(0))?;
            }
            Ok(Value::Nil)
        }
        _ => Ok(Value::Nil),
    }
}

fn dict_method(
    vm: Gc<Vm>,
    id: i64,
    d: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = npos(args, names);
    match id {
        D_GET => {
            let v = crate::dict::lookup(vm, d, args.get(0))?;
            if v.is_null() {
                return Ok(if n > 1 { args.get(1) } else { Value::Nil });
            }
            Ok(v)
        }
        D_KEYS => Ok(iter::new_iter(
            vm,
            T_DICT_KEYS,
            iter::VIEW_KEYS,
            d,
            0,
            1,
            Value::Nil,
        )),
        D_VALUES => Ok(iter::new_iter(
            vm,
            T_DICT_VALUES,
            iter::VIEW_VALUES,
            d,
            0,
            1,
            Value::Nil,
        )),
        D_ITEMS => Ok(iter::new_iter(
            vm,
            T_DICT_ITEMS,
            iter::VIEW_ITEMS,
            d,
            0,
            1,
            Value::Nil,
        )),
        D_POP => {
            let k = args.get(0);
            let v = crate::dict::lookup(vm, d, k)?;
            if v.is_null() {
                if n > 1 {
                    return Ok(args.get(1));
                }
                return key_error(vm, k);
            }
            crate::dict::delitem(vm, d, k)?;
            Ok(v)
        }
        D_SETDEFAULT => {
            let k = args.get(0);
            let v = crate::dict::lookup(vm, d, k)?;
            if v.is_null() {
                let dv = if n > 1 { args.get(1) } else { Value::Nil };
                crate::dict::setitem(vm, d, k, dv)?;
                return Ok(dv);
            }
            Ok(v)
        }
        D_UPDATE | D_INIT => {
            if n > 0 {
                crate::dict::update(vm, d, args.get(0))?;
            }
            for i in 0..names.len() {
                crate::dict::setitem(vm, d, strs::new_str(vm, names.get(i)), args.get(n + i))?;
            }
            Ok(Value::Nil)
        }
        D_COPY => crate::dict::copy(vm, d),
        D_CLEAR => {
            crate::dict::clear(d);
            Ok(Value::Nil)
        }
        D_POPITEM => {
            let (ks, vs) = crate::dict::items_of(vm, d);
            if ks.len() == 0 {
                return err(vm, T_KEY_ERROR, Str::from("popitem(): dictionary is empty"));
            }
            let k = ks.get(ks.len() - 1);
            let v = vs.get(vs.len() - 1);
            crate::dict::delitem(vm, d, k)?;
            Ok(tuple2(vm, k, v))
        }
        _ => Ok(Value::Nil),
    }
}

fn set_method(
    vm: Gc<Vm>,
    id: i64,
    s: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = npos(args, names);
    let kind = if is_subclass(class_of(vm, s), ty(vm, T_FROZENSET)) {
        T_FROZENSET
    } else {
        T_SET
    };
    match id {
        SET_ADD => crate::set::add(vm, s, args.get(0)),
        SET_REMOVE => {
            if !crate::set::discard(vm, s, args.get(0))? {
                return key_error(vm, args.get(0));
            }
            Ok(Value::Nil)
        }
        SET_DISCARD => {
            crate::set::discard(vm, s, args.get(0))?;
            Ok(Value::Nil)
        }
        SET_POP => {
            let items = crate::set::items(vm, s);
            if items.len() == 0 {
                return err(vm, T_KEY_ERROR, Str::from("pop from an empty set"));
            }
            let x = items.get(0);
            crate::set::discard(vm, s, x)?;
            Ok(x)
        }
        SET_UNION | SET_INTERSECTION | SET_DIFFERENCE | SET_SYMDIFF => {
            let which = id - SET_UNION;
            let mut r = crate::set::algebra(
                vm,
                if which == 0 { 0 } else { which },
                s,
                if n > 0 {
                    args.get(0)
                } else {
                    crate::set::new_set(vm, T_SET)
                },
                kind,
            )?;
            for i in 1..n {
                r = crate::set::algebra(vm, which, r, args.get(i), kind)?;
            }
            if n == 0 {
                r = crate::set::algebra(vm, 0, s, crate::set::new_set(vm, T_SET), kind)?;
            }
            Ok(r)
        }
        SET_ISSUBSET | SET_ISSUPERSET | SET_ISDISJOINT => {
            let other = args.get(0);
            let o = if crate::set::set_of(other).is_some() {
                other
            } else {
                crate::set::from_list(vm, ops::to_list(vm, other)?, T_SET)?
            };
            if id == SET_ISSUBSET {
                return Ok(Value::Bool(crate::set::is_subset(vm, s, o)?));
            }
            if id == SET_ISSUPERSET {
                return Ok(Value::Bool(crate::set::is_subset(vm, o, s)?));
            }
            let i = crate::set::algebra(vm, 1, s, o, T_SET)?;
            Ok(Value::Bool(crate::set::items(vm, i).len() == 0))
        }
        SET_COPY => crate::set::algebra(vm, 0, s, crate::set::new_set(vm, T_SET), kind),
        SET_CLEAR => {
            let d = crate::set::set_of(s);
            if let Some(d) = d {
                let f = crate::set::new_set_data();
                d.table.set(f.table.get());
                d.hashes.set(f.hashes.get());
                d.fill.set(0);
                d.used.set(0);
            }
            Ok(Value::Nil)
        }
        SET_UPDATE => {
            for i in 0..n {
                crate::set::update(vm, s, args.get(i))?;
            }
            Ok(Value::Nil)
        }
        SET_INTERSECTION_UPDATE | SET_DIFFERENCE_UPDATE | SET_SYMDIFF_UPDATE => {
            let which = if id == SET_INTERSECTION_UPDATE {
                1
            } else if id == SET_DIFFERENCE_UPDATE {
                2
            } else {
                3
            };
            let mut r = s;
            for i in 0..n {
                r = crate::set::algebra(vm, which, r, args.get(i), T_SET)?;
            }
            if let (Some(d), Some(rd)) = (crate::set::set_of(s), crate::set::set_of(r)) {
                d.table.set(rd.table.get());
                d.hashes.set(rd.hashes.get());
                d.fill.set(rd.fill.get());
                d.used.set(rd.used.get());
            }
            Ok(Value::Nil)
        }
        _ => Ok(Value::Nil),
    }
}

fn generator_method(vm: Gc<Vm>, id: i64, g: Value, args: GcArray<Value>) -> Result<Value, Value> {
    let f = match iter::generator_frame(g) {
        Some(f) => f,
        None => return type_error(vm, Str::from("not a generator")),
    };
    match id {
        G_SEND => {
            let (done, v) = crate::interp::resume(vm, f, args.get(0))?;
            if done {
                return Err(stop_with(vm, v));
            }
            Ok(v)
        }
        G_THROW => {
            let mut e = args.get(0);
            if args.len() > 1 && as_class(e).is_some() {
                e = call::call1(vm, e, args.get(1))?;
            }
            let e = call::make_exception(vm, e)?;
            let (done, v) = crate::interp::throw(vm, f, e)?;
            if done {
                return Err(stop_with(vm, v));
            }
            Ok(v)
        }
        _ => {
            // close(): throw GeneratorExit; a yield in response is an error.
            let st = f.gen_state.get();
            if st == 0 || st == 3 {
                f.gen_state.set(3);
                return Ok(Value::Nil);
            }
            let e = new_exc_noargs(vm, T_GENERATOR_EXIT);
            match crate::interp::throw(vm, f, e) {
                Ok((true, _)) => Ok(Value::Nil),
                Ok((false, _)) => Err(new_exc(
                    vm,
                    T_RUNTIME_ERROR,
                    Str::from("generator ignored GeneratorExit"),
                )),
                Err(x) => {
                    if is_instance_id(vm, x, T_GENERATOR_EXIT)
                        || is_instance_id(vm, x, T_STOP_ITERATION)
                    {
                        return Ok(Value::Nil);
                    }
                    Err(x)
                }
            }
        }
    }
}

fn stop_with(vm: Gc<Vm>, v: Value) -> Value {
    if v.is_nil() {
        return new_exc_noargs(vm, T_STOP_ITERATION);
    }
    new_exc_obj(
        ty(vm, T_STOP_ITERATION),
        ops::new_tuple(vm, GcArray::new(1, v)),
    )
}
