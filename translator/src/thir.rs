//! The typed tree: function bodies after name resolution and type inference, with sugar removed
//! (`while`, `for`, `if let`, `?`, `matches!` become `loop`/`match`), method calls resolved to user
//! functions or [`Builtin`]s, and every expression typed. Input of the flow-graph builder.

use crate::diag::Loc;
use crate::program::{DriverId, FnId};
use crate::ty::{AdtId, IntTy, Ty};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

#[derive(Clone, Debug)]
pub struct LocalDecl {
    pub name: String,
    pub ty: Ty,
    pub mutable: bool,
}

/// A constant value.
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Int(i64, IntTy),
    Float(f64),
    Bool(bool),
    Unit,
    Str(Vec<u8>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    Xor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl BinOp {
    /// `a op b` for a comparison operator (None for the others).
    pub fn compare<T: PartialOrd>(self, a: T, b: T) -> Option<bool> {
        Some(match self {
            BinOp::Eq => a == b,
            BinOp::Ne => a != b,
            BinOp::Lt => a < b,
            BinOp::Le => a <= b,
            BinOp::Gt => a > b,
            BinOp::Ge => a >= b,
            _ => return None,
        })
    }
    pub fn is_cmp(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
    /// The operator as written in source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::Div => "div",
            BinOp::Rem => "rem",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Xor => "xor",
            BinOp::Shl => "shl",
            BinOp::Shr => "shr",
            BinOp::Eq => "eq",
            BinOp::Ne => "ne",
            BinOp::Lt => "lt",
            BinOp::Le => "le",
            BinOp::Gt => "gt",
            BinOp::Ge => "ge",
        }
    }
}

/// Which variant of which sum type: user enums, `Option`, `Result`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VariantRef {
    Adt(AdtId, u32),
    Some,
    None,
    Ok,
    Err,
}

impl VariantRef {
    /// The variant's tag (its index).
    pub fn tag(self) -> u32 {
        match self {
            VariantRef::Adt(_, i) => i,
            VariantRef::None | VariantRef::Ok => 0,
            VariantRef::Some | VariantRef::Err => 1,
        }
    }
}

/// Built-in operations (methods and functions of the DSL's own types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Builtin {
    // integers
    CheckedAdd,
    CheckedSub,
    CheckedMul,
    OverflowingAdd,
    OverflowingSub,
    OverflowingMul,
    WrappingAdd,
    WrappingSub,
    WrappingMul,
    IntAbs,
    IntMin,
    IntMax,
    // floats
    FSqrt,
    FFloor,
    FCeil,
    FAbs,
    FSin,
    FCos,
    FExp,
    FLn,
    FPowf,
    FPowi,
    FMin,
    FMax,
    FIsNan,
    // strings
    StrLen,
    StrByteAt,
    StrConcat,
    StrSlice,
    StrRepeat,
    StrFind,
    StrStartsWith,
    StrEndsWith,
    StrHash,
    StrCompare,
    StrEq,
    StrParseI64,
    StrParseF64,
    StrFromI64,
    StrFromU64,
    StrFromF64,
    StrFromByte,
    SbNew,
    SbPushStr,
    SbPushByte,
    SbLen,
    SbBuild,
    // arrays, lists, maps
    ArrayNew,
    ArrayLen,
    ArrayGet,
    ArraySet,
    ListNew,
    ListLen,
    ListGet,
    ListSet,
    ListPush,
    ListPop,
    ListInsert,
    ListRemove,
    ListTruncate,
    ListClear,
    MapNew,
    MapLen,
    MapGet,
    MapContains,
    MapInsert,
    MapRemove,
    MapKeyAt,
    MapValueAt,
    MapClear,
    // references
    GcPtrEq,
    // I/O
    Print,
    EPrint,
    WriteByte,
    ReadByte,
    ReadFile,
    WriteFile,
    Flush,
    // foreign functions (`vmkit::ffi`)
    FfiOpen,
    FfiSymbol,
    FfiError,
    FfiCall,
    FfiCallF64,
    FfiMalloc,
    FfiFree,
    FfiPeek,
    FfiPoke,
    FfiPeekF64,
    FfiPokeF64,
    FfiToCstr,
    FfiFromCstr,
    FfiCallback,
    // JIT hints
    Promote,
    WeAreJitted,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Ty,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Lit(Lit),
    Local(LocalId),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// Short-circuit `&&` / `||`.
    LogicAnd(Box<Expr>, Box<Expr>),
    LogicOr(Box<Expr>, Box<Expr>),
    Cast(Box<Expr>),
    Call(FnId, Vec<Expr>),
    Host(FnId, Vec<Expr>),
    Builtin(Builtin, Vec<Expr>),
    Tuple(Vec<Expr>),
    /// A value struct built from its fields (in declaration order).
    Struct(AdtId, Vec<Expr>),
    /// A value of a sum type (user value enum, `Option`, `Result`).
    Variant(VariantRef, Vec<Expr>),
    /// A new GC object: a struct (variant `None`) or an enum variant.
    GcNew(AdtId, Option<u32>, Vec<Expr>),
    /// Field `i` of a tuple or of a value struct.
    Field(Box<Expr>, u32),
    /// Field `i` of a GC struct object (read; `Mut::get`/`QuasiImmut::get` too).
    GcField(Box<Expr>, AdtId, u32),
    /// `obj.field.set(value)`.
    GcSetField(Box<Expr>, AdtId, u32, Box<Expr>),
    Block(Vec<Stmt>, Option<Box<Expr>>),
    If(Box<Expr>, Box<Expr>, Option<Box<Expr>>),
    Match(Box<Expr>, Vec<Arm>),
    Loop(Option<String>, Box<Expr>),
    Break(Option<String>, Option<Box<Expr>>),
    Continue(Option<String>),
    Return(Option<Box<Expr>>),
    Assign(LocalId, Box<Expr>),
    /// A fatal error with a message.
    Panic(String),
    JitMergePoint(DriverId, Vec<LocalId>),
    CanEnterJit(DriverId, Vec<LocalId>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Let(Pat, Expr),
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub struct Arm {
    pub pat: Pat,
    pub guard: Option<Expr>,
    pub body: Expr,
}

#[derive(Clone, Debug)]
pub struct Pat {
    pub kind: PatKind,
    pub ty: Ty,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub enum PatKind {
    Wild,
    Bind(LocalId, Option<Box<Pat>>),
    Lit(Lit),
    /// Inclusive integer range.
    Range(i64, i64),
    Tuple(Vec<Pat>),
    /// Value struct destructuring, one sub-pattern per field.
    Struct(AdtId, Vec<Pat>),
    Variant(VariantRef, Vec<Pat>),
    Or(Vec<Pat>),
}

/// A type-checked function body.
#[derive(Clone, Debug)]
pub struct Body {
    pub fn_id: FnId,
    pub locals: Vec<LocalDecl>,
    /// Locals holding the parameters, in order.
    pub params: Vec<LocalId>,
    pub expr: Expr,
}
