//! The jitcode program as the runtime sees it: decoded instructions, descriptors and the portal,
//! serialized with postcard into the translated binary (symbol `vmkit_jit_program`).
//!
//! The codewriter (`jit-codewriter/`) assembles its compact bytecode and then converts it into
//! this form at translation time; the runtime deserializes it once, when the JIT is first needed.
//! Instruction positions (`pc`) are indices into [`JitCode::insns`]; jump targets and switch
//! tables use them too.
//!
//! Registers: three banks (int, ref, float), at most 256 registers each; a [`Reg`] names one.
//! Every instruction that can become a guard or a call is preceded by [`Insn::Live`], whose
//! index names the set of registers live there (the resume data of a guard keeps exactly
//! those).
//!
//! Everything that is not plain arithmetic, field access or control flow is a *helper call*
//! ([`Insn::Call`]): built-ins, allocation, residual calls of interpreter functions and host
//! functions. The translated binary contains, for each [`CallDescr::helper`], a function with the
//! uniform ABI `extern "C" fn(args: *const u64, results: *mut u64)` (table `vmkit_jit_helpers`),
//! compiled by the AOT backend from the very same low-level operation, so the tracer, the
//! blackhole interpreter and compiled traces all execute the interpreter's own semantics.

use crate::ops::{BinOp, IntTy, Kind, Ty};
use serde::{Deserialize, Serialize};

/// A register: bank and index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Reg {
    pub kind: Kind,
    pub index: u8,
}

/// Jitcode instructions. Register operands of fixed kind are plain `u8` indices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Insn {
    /// The registers live before the next instruction: `Program::liveness[i]`.
    Live(u16),
    IntConst(i64, u8),
    FloatConst(u64, u8),
    /// A string constant (`Program::strs[i]`) into a ref register.
    StrConst(u32, u8),
    RefNull(u8),
    Copy(Reg, Reg),
    IntBin(BinOp, IntTy, u8, u8, u8),
    IntCmp(BinOp, IntTy, u8, u8, u8),
    /// (a, b) -> (result, overflowed).
    IntOvf(BinOp, IntTy, u8, u8, u8, u8),
    IntNeg(IntTy, u8, u8),
    IntNot(IntTy, u8, u8),
    BoolBin(BinOp, u8, u8, u8),
    BoolNot(u8, u8),
    FloatBin(BinOp, u8, u8, u8),
    FloatCmp(BinOp, u8, u8, u8),
    FloatNeg(u8, u8),
    Cast(Ty, Ty, Reg, Reg),
    PtrEq(u8, u8, u8),
    PtrIsNull(u8, u8),
    /// `dst = obj.field`; `pure` when the field is immutable.
    GetField {
        obj: u8,
        field: u16,
        dst: Reg,
        pure: bool,
    },
    SetField {
        obj: u8,
        val: Reg,
        field: u16,
    },
    /// A helper call (see the module documentation): `Program::calls[call]`.
    Call {
        call: u16,
        args: Vec<Reg>,
        results: Vec<Reg>,
    },
    /// A call of another jitcode (the tracer inlines it). `residual` is the call descriptor of
    /// the same function compiled by the AOT backend: the blackhole interpreter calls it instead
    /// of interpreting, and the tracer records a residual call to it for functions it decided
    /// not to inline (after a trace became too long) and for recursive calls of the portal.
    InlineCall {
        jitcode: u16,
        residual: u16,
        args: Vec<Reg>,
        results: Vec<Reg>,
    },
    /// `promote`: the tracer makes the register a constant behind a guard; a no-op otherwise.
    GuardValue(Reg),
    Goto(u32),
    /// Jumps to the target when the int register is zero.
    GotoIfNot(u8, u32),
    /// `Program::switches[table]` maps values to targets; otherwise `default`.
    Switch(u8, u16, u32),
    Return(Vec<Reg>),
    /// A fatal error with message `Program::messages[i]`.
    Fatal(u16),
    /// The portal's merge point: the driver and its (greens then reds) registers.
    JitMergePoint(u16, Vec<Reg>),
    /// `can_enter_jit!`: a no-op for the meta-interpreter (hotness is counted by the AOT code).
    LoopHeader(u16),
}

/// One function in jitcode form.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JitCode {
    pub name: String,
    pub params: Vec<Reg>,
    /// Registers per bank, indexed by `Kind as usize` (int, ref, float).
    pub num_regs: [u16; 3],
    pub insns: Vec<Insn>,
}

/// A field of a user type.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FieldDescr {
    pub name: String,
    pub offset: u32,
    pub ty: Ty,
    pub immutable: bool,
    pub quasi_immutable: bool,
}

/// How much a call may do (from the codewriter's whole-program effect analysis).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Effects {
    /// Same arguments, same results, no visible side effect: the tracer may fold it when its
    /// arguments are constants, and CSE it.
    pub elidable: bool,
    pub loop_invariant: bool,
    /// May end the process with a fatal error.
    pub can_raise: bool,
    pub can_collect: bool,
    /// I/O or anything else the JIT must never reorder or remove.
    pub random_effects: bool,
    /// Writes to fields (`FieldDescr` indices) and whether it writes container elements.
    pub writes_fields: Vec<u16>,
    pub writes_containers: bool,
}

/// Operations the tracer records as dedicated trace operations instead of helper calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Special {
    /// `GcArray::len` -> trace `ArrayLen`.
    ArrayLen,
    /// `GcArray::get` of one-word elements.
    ArrayGet,
    /// `GcArray::set` of one-word elements.
    ArraySet,
    StrLen,
    StrByteAt,
    /// `GcArray::new(len, init)` (init: the element's words) -> trace `NewArray`.
    ArrayNew,
    /// `GcList::len` -> trace `GetField` of the list's length.
    ListLen,
    /// `GcList::get` -> trace `ListGet` (one per word of the element).
    ListGet,
    /// `GcList::set` -> trace `ListSet`.
    ListSet,
}

/// A helper call site kind.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CallDescr {
    /// Index into the binary's helper table.
    pub helper: u32,
    /// For logs: `bf::matching_bracket`, `builtin StrConcat`, `new Program`.
    pub name: String,
    pub effects: Effects,
    pub args: Vec<Ty>,
    pub results: Vec<Ty>,
    pub special: Option<Special>,
    /// For a `new` helper (allocation of a user object): the fields its arguments initialize;
    /// the tracer records such calls as [`crate::trace::OpKind::New`].
    pub new: Option<crate::trace::NewShape>,
}

/// The interpreter's JIT driver with its portal.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Portal {
    pub name: String,
    pub jitcode: u16,
    /// Number of greens among the merge point's registers (the first ones).
    pub ngreens: u16,
    /// Kinds of the merge point's registers, greens then reds (the word buffer the AOT code
    /// passes to `vmkit_jit_can_enter`).
    pub kinds: Vec<Kind>,
    /// Types of the portal's results (the word buffer on a return).
    pub results: Vec<Ty>,
    /// Helper computing the printable location from the greens (returns a `Str`).
    pub location: Option<u32>,
}

/// The whole jitcode program.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Program {
    pub ptr64: bool,
    pub jitcodes: Vec<JitCode>,
    pub portal: Option<Portal>,
    pub fields: Vec<FieldDescr>,
    pub calls: Vec<CallDescr>,
    pub switches: Vec<Vec<(i64, u32)>>,
    pub messages: Vec<String>,
    pub liveness: Vec<Vec<Reg>>,
    pub strs: Vec<Vec<u8>>,
}

impl Program {
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("serializing a jitcode program cannot fail")
    }
    pub fn from_bytes(b: &[u8]) -> Result<Program, String> {
        postcard::from_bytes(b).map_err(|e| format!("corrupt jitcode program: {e}"))
    }
}
