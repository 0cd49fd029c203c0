//! High-level DSL types, as the type checker and the high-level flow graphs see them.
//!
//! `Gc<T>`, `&T` of a GC type and the object itself are all [`Ty::Gc`]: a reference. Value types
//! (integers, floats, tuples, `Option`, `Result`, `Copy` user types) have no identity, which is
//! what lets lowering flatten them into scalars.

use std::fmt;

/// Index of a user struct or enum in [`crate::program::Program::adts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct AdtId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum IntTy {
    I64,
    U64,
    Usize,
    U8,
    U32,
    I32,
}

impl IntTy {
    pub fn signed(self) -> bool {
        matches!(self, IntTy::I64 | IntTy::I32)
    }
    /// Width in bits on a target with the given pointer width.
    pub fn bits(self, pointer_bits: u32) -> u32 {
        match self {
            IntTy::I64 | IntTy::U64 => 64,
            IntTy::Usize => pointer_bits,
            IntTy::U8 => 8,
            IntTy::U32 | IntTy::I32 => 32,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            IntTy::I64 => "i64",
            IntTy::U64 => "u64",
            IntTy::Usize => "usize",
            IntTy::U8 => "u8",
            IntTy::U32 => "u32",
            IntTy::I32 => "i32",
        }
    }
    pub fn from_name(s: &str) -> Option<IntTy> {
        Some(match s {
            "i64" => IntTy::I64,
            "u64" => IntTy::U64,
            "usize" => IntTy::Usize,
            "u8" => IntTy::U8,
            "u32" => IntTy::U32,
            "i32" => IntTy::I32,
            _ => return None,
        })
    }
    /// Wraps `v` to this type's range (as the value would be stored), given the pointer width.
    pub fn wrap(self, v: i64) -> i64 {
        match self {
            IntTy::I64 | IntTy::U64 | IntTy::Usize => v,
            IntTy::U8 => v as u8 as i64,
            IntTy::U32 => v as u32 as i64,
            IntTy::I32 => v as i32 as i64,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// An inference variable (only during type checking).
    Var(u32),
    Unit,
    Bool,
    Int(IntTy),
    F64,
    /// The type of `return`, `break`, `panic!`: coerces to anything.
    Never,
    Str,
    StrBuilder,
    /// A reference to a GC object of a user struct or enum.
    Gc(AdtId),
    /// A `Copy` user struct or enum, by value.
    Adt(AdtId),
    Tuple(Vec<Ty>),
    Option(Box<Ty>),
    Result(Box<Ty>, Box<Ty>),
    Array(Box<Ty>),
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    /// Field wrappers: only as the declared type of a GC struct field.
    Mut(Box<Ty>),
    QuasiImmut(Box<Ty>),
    /// The `JitDriver` type (statics only).
    JitDriver,
}

impl Ty {
    pub fn is_int(&self) -> bool {
        matches!(self, Ty::Int(_))
    }
    /// The type stored behind a field wrapper.
    pub fn unwrap_field(&self) -> &Ty {
        match self {
            Ty::Mut(t) | Ty::QuasiImmut(t) => t,
            t => t,
        }
    }
    /// Calls `f` on every type nested in this one (including itself).
    pub fn walk(&self, f: &mut impl FnMut(&Ty)) {
        f(self);
        match self {
            Ty::Tuple(ts) => ts.iter().for_each(|t| t.walk(f)),
            Ty::Option(t) | Ty::Array(t) | Ty::List(t) | Ty::Mut(t) | Ty::QuasiImmut(t) => {
                t.walk(f)
            }
            Ty::Result(a, b) | Ty::Map(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            _ => {}
        }
    }
    pub fn has_vars(&self) -> bool {
        let mut v = false;
        self.walk(&mut |t| v |= matches!(t, Ty::Var(_)));
        v
    }
}

/// Prints types as DSL source would spell them; user types as `#<id>` unless named through
/// [`TyDisplay`].
impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        TyDisplay {
            ty: self,
            names: &[],
        }
        .fmt(f)
    }
}

/// A type with the program's user type names, for messages and dumps.
pub struct TyDisplay<'a> {
    pub ty: &'a Ty,
    pub names: &'a [String],
}

impl fmt::Display for TyDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = |t: &Ty| {
            format!(
                "{}",
                TyDisplay {
                    ty: t,
                    names: self.names
                }
            )
        };
        let name = |id: AdtId| {
            self.names
                .get(id.0 as usize)
                .cloned()
                .unwrap_or_else(|| format!("#{}", id.0))
        };
        match self.ty {
            Ty::Var(_) => write!(f, "_"),
            Ty::Unit => write!(f, "()"),
            Ty::Bool => write!(f, "bool"),
            Ty::Int(i) => write!(f, "{}", i.name()),
            Ty::F64 => write!(f, "f64"),
            Ty::Never => write!(f, "!"),
            Ty::Str => write!(f, "Str"),
            Ty::StrBuilder => write!(f, "StrBuilder"),
            Ty::Gc(id) => write!(f, "Gc<{}>", name(*id)),
            Ty::Adt(id) => write!(f, "{}", name(*id)),
            Ty::Tuple(ts) => {
                write!(f, "(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{}", n(t))?;
                }
                if ts.len() == 1 {
                    write!(f, ",")?;
                }
                write!(f, ")")
            }
            Ty::Option(t) => write!(f, "Option<{}>", n(t)),
            Ty::Result(a, b) => write!(f, "Result<{}, {}>", n(a), n(b)),
            Ty::Array(t) => write!(f, "GcArray<{}>", n(t)),
            Ty::List(t) => write!(f, "GcList<{}>", n(t)),
            Ty::Map(k, v) => write!(f, "GcMap<{}, {}>", n(k), n(v)),
            Ty::Mut(t) => write!(f, "Mut<{}>", n(t)),
            Ty::QuasiImmut(t) => write!(f, "QuasiImmut<{}>", n(t)),
            Ty::JitDriver => write!(f, "JitDriver"),
        }
    }
}
