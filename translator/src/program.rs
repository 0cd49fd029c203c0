//! The program model: every module, type, function, constant and JIT driver of an interpreter,
//! with names resolved across modules and signatures converted to [`Ty`].
//!
//! Built by [`collect`] from the parsed files. Function bodies stay as syn ASTs here; the type
//! checker ([`crate::typeck`]) turns them into typed trees.

use crate::diag::{loc_of, DResult, Diagnostic, Loc};
use crate::source::{parse_file, FileId, SourceMap};
use crate::ty::{AdtId, IntTy, Ty};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct FnId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ModId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ConstId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct DriverId(pub u32);

/// What a name refers to.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Adt(AdtId),
    Fn(FnId),
    Const(ConstId),
    Driver(DriverId),
    Module(ModId),
    /// A variant of a user enum imported by name (`use Enum::Variant;` or `use Enum::*;`).
    Variant(AdtId, u32),
    /// Something of the `vmkit` crate or the Rust prelude, by canonical name (`Gc`, `io::print`,
    /// `jit::promote`, `Some`, `i64`, ...). The empty string is the `vmkit` crate itself.
    Builtin(String),
    /// A path outside the subset (e.g. `std::...`): an error if DSL code uses it.
    External(String),
}

pub struct Module {
    pub name: String,
    pub parent: Option<ModId>,
    pub file: FileId,
    /// Directory where `mod child;` files of this module live.
    pub dir: PathBuf,
    pub items: HashMap<String, Item>,
    /// `use` aliases: name -> path (resolved lazily).
    pub uses: HashMap<String, (Vec<String>, Loc)>,
    pub globs: Vec<(Vec<String>, Loc)>,
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    /// Declared type, including a `Mut`/`QuasiImmut` wrapper.
    pub ty: Ty,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct VariantDef {
    pub name: String,
    pub fields: Vec<Ty>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub enum AdtKind {
    Struct(Vec<FieldDef>),
    Enum(Vec<VariantDef>),
}

#[derive(Clone, Debug)]
pub struct AdtDef {
    pub name: String,
    pub module: ModId,
    pub kind: AdtKind,
    /// `#[derive(Copy)]`: a value type. Otherwise a GC type, used through `Gc<T>`.
    pub is_value: bool,
    pub virtualizable: bool,
    pub loc: Loc,
    pub(crate) syn_item: Option<SynAdt>,
}

#[derive(Clone, Debug)]
pub(crate) enum SynAdt {
    Struct(syn::ItemStruct),
    Enum(syn::ItemEnum),
}

impl AdtDef {
    pub fn fields(&self) -> &[FieldDef] {
        match &self.kind {
            AdtKind::Struct(f) => f,
            AdtKind::Enum(_) => &[],
        }
    }
    pub fn variants(&self) -> &[VariantDef] {
        match &self.kind {
            AdtKind::Enum(v) => v,
            AdtKind::Struct(_) => &[],
        }
    }
    pub fn is_enum(&self) -> bool {
        matches!(self.kind, AdtKind::Enum(_))
    }
}

/// JIT hints attached to a function.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Hints {
    pub elidable: bool,
    pub unroll_safe: bool,
    pub dont_look_inside: bool,
    pub loop_invariant: bool,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub ty: Ty,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct FnDef {
    pub name: String,
    /// `Type::name` for associated functions, `module::name` otherwise (root module omitted).
    pub path: String,
    pub module: ModId,
    pub self_adt: Option<AdtId>,
    /// Takes `&self` (the first param is `self`).
    pub has_self: bool,
    pub params: Vec<Param>,
    pub ret: Ty,
    pub hints: Hints,
    pub is_entry: bool,
    /// A `#[vmkit::host]` function: opaque, called through the host registry.
    pub is_host: bool,
    pub loc: Loc,
    pub(crate) sig: syn::Signature,
    pub(crate) body: Option<syn::Block>,
    pub(crate) impl_self: Option<syn::Type>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    Int(i64, IntTy),
    Float(f64),
    Bool(bool),
}

#[derive(Clone, Debug)]
pub struct ConstDef {
    pub name: String,
    pub ty: Ty,
    pub value: ConstValue,
    pub loc: Loc,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct DriverDef {
    pub static_name: String,
    pub name: String,
    pub greens: Vec<String>,
    pub reds: Vec<String>,
    pub virtualizables: Vec<String>,
    pub get_printable_location: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
    #[serde(skip)]
    pub module: Option<ModId>,
    /// Where the printable-location function is named.
    #[serde(skip)]
    pub printable_loc: Loc,
}

/// A whole interpreter.
pub struct Program {
    pub sources: SourceMap,
    pub modules: Vec<Module>,
    pub adts: Vec<AdtDef>,
    pub fns: Vec<FnDef>,
    pub consts: Vec<ConstDef>,
    pub drivers: Vec<DriverDef>,
    pub entry: Option<FnId>,
    /// The `#[vmkit::ffi_callback]` function, which C callbacks (`ffi::callback`) call.
    pub ffi_handler: Option<FnId>,
    /// `impl MapKey for T`: (key_hash, key_eq).
    pub map_keys: HashMap<AdtId, (FnId, FnId)>,
    /// The crate's name (directory or file stem).
    pub name: String,
}

const HINTS: &[&str] = &[
    "elidable",
    "unroll_safe",
    "dont_look_inside",
    "loop_invariant",
    "entry",
    "host",
    "virtualizable",
    "ffi_callback",
];

fn attr_name(a: &syn::Attribute) -> Option<String> {
    a.path().segments.last().map(|s| s.ident.to_string())
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.meta.to_token_stream_string().replace(' ', "") == "cfg(test)"
    })
}

trait MetaStr {
    fn to_token_stream_string(&self) -> String;
}
impl MetaStr for syn::Meta {
    fn to_token_stream_string(&self) -> String {
        quote::ToTokens::to_token_stream(self).to_string()
    }
}

impl Program {
    pub fn loc(&self, file: FileId, span: proc_macro2::Span) -> Loc {
        loc_of(&self.sources, file, span)
    }
    pub fn adt_names(&self) -> Vec<String> {
        self.adts.iter().map(|a| a.name.clone()).collect()
    }
    pub fn ty_str(&self, t: &Ty) -> String {
        let names = self.adt_names();
        crate::ty::TyDisplay {
            ty: t,
            names: &names,
        }
        .to_string()
    }
    pub fn root(&self) -> ModId {
        ModId(0)
    }
    pub fn fn_by_path(&self, path: &str) -> Option<FnId> {
        self.fns
            .iter()
            .position(|f| f.path == path)
            .map(|i| FnId(i as u32))
    }
    pub fn adt(&self, id: AdtId) -> &AdtDef {
        &self.adts[id.0 as usize]
    }
    pub fn func(&self, id: FnId) -> &FnDef {
        &self.fns[id.0 as usize]
    }

    /// Resolves a path as written in module `m`. Returns the item and the unresolved rest (for
    /// `Type::assoc_fn` and `Enum::Variant`).
    pub fn resolve_path(
        &self,
        m: ModId,
        segs: &[String],
        loc: Loc,
    ) -> DResult<(Item, Vec<String>)> {
        self.resolve_path_depth(m, segs, loc, 0)
    }

    fn resolve_path_depth(
        &self,
        m: ModId,
        segs: &[String],
        loc: Loc,
        depth: u32,
    ) -> DResult<(Item, Vec<String>)> {
        if depth > 32 {
            return Err(Diagnostic::new(loc, "cyclic `use` declarations")
                .help("remove the cycle between the `use` items"));
        }
        let Some(first) = segs.first().map(|s| s.as_str()) else {
            return Err(Diagnostic::new(loc, "empty path").help("name an item"));
        };
        let mut cur = match first {
            "crate" => Item::Module(ModId(0)),
            "self" if segs.len() > 1 => Item::Module(m),
            "super" => match self.modules[m.0 as usize].parent {
                Some(p) => Item::Module(p),
                None => {
                    return Err(Diagnostic::new(loc, "`super` in the crate root")
                        .help("use `crate::` paths"))
                }
            },
            "vmkit" => Item::Builtin(String::new()),
            "std" | "core" | "alloc" => Item::External(first.to_string()),
            _ => self.lookup_name(m, first, loc, depth)?,
        };
        let mut i = 1;
        while i < segs.len() {
            let s = &segs[i];
            cur = match cur {
                Item::Module(mm) if s == "super" => match self.modules[mm.0 as usize].parent {
                    Some(p) => Item::Module(p),
                    None => {
                        return Err(Diagnostic::new(loc, "`super` of the crate root")
                            .help("use `crate::` paths"))
                    }
                },
                Item::Module(mm) => {
                    let module = &self.modules[mm.0 as usize];
                    if let Some(it) = module.items.get(s) {
                        it.clone()
                    } else if let Some((p, l)) = module.uses.get(s) {
                        self.resolve_path_depth(mm, p, *l, depth + 1)?.0
                    } else {
                        return Err(Diagnostic::new(loc, format!("cannot find `{s}` in module `{}`", module.name)).help("check the spelling, or declare it (`pub fn`, `pub struct`, ...) in that module"));
                    }
                }
                Item::Builtin(prefix) if is_builtin_type(&prefix) => {
                    return Ok((Item::Builtin(prefix), segs[i..].to_vec()))
                }
                Item::Builtin(prefix) => Item::Builtin(canonical_builtin(&prefix, s)),
                Item::External(p) => Item::External(format!("{p}::{s}")),
                other => return Ok((other, segs[i..].to_vec())),
            };
            i += 1;
        }
        Ok((cur, Vec::new()))
    }

    fn lookup_name(&self, m: ModId, name: &str, loc: Loc, depth: u32) -> DResult<Item> {
        let module = &self.modules[m.0 as usize];
        if let Some(it) = module.items.get(name) {
            return Ok(it.clone());
        }
        if let Some((p, l)) = module.uses.get(name) {
            if p.len() == 1 && p[0] == name {
                // `use name;` of an extern crate (e.g. `use vmkit;`)
                return Ok(match name {
                    "vmkit" => Item::Builtin(String::new()),
                    _ => Item::External(name.to_string()),
                });
            }
            return match self.resolve_path_depth(m, p, *l, depth + 1)? {
                (Item::Adt(a), rest) if rest.len() == 1 => match self.variant_index(a, &rest[0]) {
                    Some(v) => Ok(Item::Variant(a, v)),
                    None => Err(Diagnostic::new(
                        *l,
                        format!(
                            "`{}` has no variant `{}`",
                            self.adts[a.0 as usize].name, rest[0]
                        ),
                    )
                    .help("check the variant name")),
                },
                (item, rest) if rest.is_empty() => Ok(item),
                (_, rest) => Err(Diagnostic::new(
                    *l,
                    format!("cannot import `{}`", rest.join("::")),
                )
                .help("import modules, types, functions, constants and enum variants")),
            };
        }
        // Glob imports are searched at most a few levels deep: `use` cycles between modules
        // would otherwise make the search exponential.
        if depth > 6 {
            return Err(
                Diagnostic::new(loc, format!("cannot find `{name}` in this scope"))
                    .help("declare it, or import it with `use`"),
            );
        }
        for (g, l) in &module.globs {
            if g.is_empty() {
                continue;
            }
            if let Ok((Item::Adt(a), rest)) = self.resolve_path_depth(m, g, *l, depth + 1) {
                if rest.is_empty() {
                    if let Some(v) = self.variant_index(a, name) {
                        return Ok(Item::Variant(a, v));
                    }
                }
            }
            if let Ok((Item::Module(gm), rest)) = self.resolve_path_depth(m, g, *l, depth + 1) {
                if rest.is_empty() && gm != m {
                    if let Ok(it) = self.lookup_name(gm, name, loc, depth + 1) {
                        return Ok(it);
                    }
                }
            } else if let Ok((Item::Builtin(prefix), _)) =
                self.resolve_path_depth(m, g, *l, depth + 1)
            {
                let c = canonical_builtin(&prefix, name);
                if is_known_builtin(&c) {
                    return Ok(Item::Builtin(c));
                }
            }
        }
        if let Some(b) = prelude(name) {
            return Ok(Item::Builtin(b.to_string()));
        }
        Err(
            Diagnostic::new(loc, format!("cannot find `{name}` in this scope"))
                .help("declare it, or import it with `use`"),
        )
    }
}

impl Program {
    /// The index of variant `name` of enum `a`.
    pub fn variant_index(&self, a: AdtId, name: &str) -> Option<u32> {
        self.adts[a.0 as usize]
            .variants()
            .iter()
            .position(|v| v.name == name)
            .map(|i| i as u32)
    }
}

/// Maps `vmkit::<prefix>::<seg>` paths to canonical builtin names.
fn canonical_builtin(prefix: &str, seg: &str) -> String {
    let full = if prefix.is_empty() {
        seg.to_string()
    } else {
        format!("{prefix}::{seg}")
    };
    match full.as_str() {
        "gc::Gc" => "Gc".into(),
        "gc::Mut" => "Mut".into(),
        "gc::QuasiImmut" => "QuasiImmut".into(),
        "str::Str" => "Str".into(),
        "str::StrBuilder" => "StrBuilder".into(),
        "array::GcArray" => "GcArray".into(),
        "array::GcList" => "GcList".into(),
        "map::GcMap" => "GcMap".into(),
        "map::MapKey" => "MapKey".into(),
        "jit::JitDriver" => "JitDriver".into(),
        "jit::jit_merge_point" => "jit_merge_point".into(),
        "jit::can_enter_jit" => "can_enter_jit".into(),
        _ => full,
    }
}

/// Builtins that are types: a path continuing after them names an associated item.
fn is_builtin_type(c: &str) -> bool {
    matches!(
        c,
        "i64"
            | "u64"
            | "usize"
            | "u8"
            | "u32"
            | "i32"
            | "f64"
            | "bool"
            | "Gc"
            | "Mut"
            | "QuasiImmut"
            | "Str"
            | "StrBuilder"
            | "GcArray"
            | "GcList"
            | "GcMap"
            | "Option"
            | "Result"
    )
}

fn is_known_builtin(c: &str) -> bool {
    matches!(
        c,
        "Gc" | "Mut"
            | "QuasiImmut"
            | "Str"
            | "StrBuilder"
            | "GcArray"
            | "GcList"
            | "GcMap"
            | "MapKey"
            | "JitDriver"
            | "jit_merge_point"
            | "can_enter_jit"
            | "io"
            | "jit"
            | "run"
            | "elidable"
            | "unroll_safe"
            | "dont_look_inside"
            | "loop_invariant"
            | "entry"
            | "host"
            | "virtualizable"
            | "ffi"
            | "ffi_callback"
    )
}

fn prelude(name: &str) -> Option<&'static str> {
    Some(match name {
        "Option" => "Option",
        "Some" => "Some",
        "None" => "None",
        "Result" => "Result",
        "Ok" => "Ok",
        "Err" => "Err",
        "i64" => "i64",
        "u64" => "u64",
        "usize" => "usize",
        "u8" => "u8",
        "u32" => "u32",
        "i32" => "i32",
        "f64" => "f64",
        "bool" => "bool",
        _ => return None,
    })
}

fn path_segs(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| s.ident.to_string()).collect()
}

struct Collector {
    prog: Program,
    /// (module, file, item) for the second phase.
    pending_fns: Vec<(FnId, syn::ItemFn)>,
    /// Constants are evaluated after every name is known, so they may refer to later ones.
    pending_consts: Vec<(ConstId, ModId, FileId, syn::Expr, Ty)>,
    const_done: Vec<bool>,
}

const PENDING: &str = "\u{0}pending constant";

/// Loads the interpreter rooted at `root` (a `lib.rs` or single file) and builds the program model.
pub fn collect(root: &Path) -> Result<Program, (SourceMap, Diagnostic)> {
    let name = crate_name(root);
    let mut c = Collector {
        prog: Program {
            sources: SourceMap::default(),
            modules: Vec::new(),
            adts: Vec::new(),
            fns: Vec::new(),
            consts: Vec::new(),
            drivers: Vec::new(),
            entry: None,
            ffi_handler: None,
            map_keys: HashMap::new(),
            name,
        },
        pending_fns: Vec::new(),
        pending_consts: Vec::new(),
        const_done: Vec::new(),
    };
    match c.run(root) {
        Ok(()) => Ok(c.prog),
        Err(d) => Err((c.prog.sources, d)),
    }
}

/// The program's name (the default executable name): for a crate, the name of its first
/// `[[bin]]` target in Cargo.toml, else its directory's name; for a single file, its stem.
fn crate_name(root: &Path) -> String {
    let stem = root
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "lib" || stem == "main" {
        // <crate>/src/lib.rs
        if let Some(dir) = root.parent().and_then(|p| p.parent()) {
            if let Some(bin) = bin_name(&dir.join("Cargo.toml")) {
                return bin;
            }
            if let Some(n) = dir.file_name() {
                return n.to_string_lossy().into_owned();
            }
        }
    }
    stem
}

/// `name = "..."` of the first `[[bin]]` table of a Cargo manifest.
fn bin_name(manifest: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let mut in_bin = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_bin = l == "[[bin]]";
            continue;
        }
        if in_bin {
            if let Some(rest) = l.strip_prefix("name") {
                let v = rest
                    .trim_start()
                    .strip_prefix('=')?
                    .trim()
                    .trim_matches('"');
                if !v.is_empty() {
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}

impl Collector {
    fn run(&mut self, root: &Path) -> DResult<()> {
        let (file, ast) = parse_file(&mut self.prog.sources, root)?;
        let dir = root.parent().unwrap_or(Path::new(".")).to_path_buf();
        let m = self.new_module("crate".into(), None, file, dir);
        let mut impls = Vec::new();
        self.collect_items(m, file, &ast.items, &mut impls)?;
        self.eval_consts()?;
        // Phase 2: types of fields and signatures, now that every name is known.
        for i in 0..self.prog.adts.len() {
            self.resolve_adt(AdtId(i as u32))?;
        }
        self.check_value_recursion()?;
        for (m, file, imp) in impls {
            self.collect_impl(m, file, &imp)?;
        }
        let pending = std::mem::take(&mut self.pending_fns);
        for (id, f) in pending {
            self.resolve_fn(id, &f.sig)?;
        }
        for i in 0..self.prog.fns.len() {
            if self.prog.fns[i].impl_self.is_some()
                && self.prog.fns[i].params.is_empty()
                && !self.prog.fns[i].has_self
            {
                // already resolved in collect_impl
            }
        }
        self.check_entry()?;
        self.check_ffi_handler()?;
        Ok(())
    }

    /// A `Copy` type that contains itself by value would have infinite size (rustc rejects it
    /// too); lowering flattens value types, so it must never see one.
    fn check_value_recursion(&self) -> DResult<()> {
        fn walk(prog: &Program, t: &Ty, out: &mut Vec<AdtId>) {
            match t {
                Ty::Adt(a) => out.push(*a),
                Ty::Tuple(ts) => ts.iter().for_each(|t| walk(prog, t, out)),
                Ty::Option(t) => walk(prog, t, out),
                Ty::Result(a, b) => {
                    walk(prog, a, out);
                    walk(prog, b, out);
                }
                _ => {}
            }
        }
        let n = self.prog.adts.len();
        let mut state = vec![0u8; n];
        fn dfs(prog: &Program, a: usize, state: &mut Vec<u8>) -> DResult<()> {
            if state[a] == 2 {
                return Ok(());
            }
            let adt = &prog.adts[a];
            if state[a] == 1 {
                return Err(Diagnostic::new(adt.loc, format!("recursive value type `{}` has infinite size", adt.name)).help(format!("make `{}` a GC type (remove `Copy` and use `Gc<{}>`), or hold the recursive part through a `Gc<...>`", adt.name, adt.name)));
            }
            state[a] = 1;
            let mut next = Vec::new();
            for f in adt.fields() {
                walk(prog, &f.ty, &mut next);
            }
            for v in adt.variants() {
                v.fields.iter().for_each(|t| walk(prog, t, &mut next));
            }
            for b in next {
                dfs(prog, b.0 as usize, state)?;
            }
            state[a] = 2;
            Ok(())
        }
        for a in 0..n {
            if self.prog.adts[a].is_value {
                dfs(&self.prog, a, &mut state)?;
            }
        }
        Ok(())
    }

    /// Evaluates constants in dependency order (a constant may use one declared later).
    fn eval_consts(&mut self) -> DResult<()> {
        self.const_done = vec![false; self.prog.consts.len()];
        let mut pending = std::mem::take(&mut self.pending_consts);
        loop {
            let before = pending.len();
            let mut rest = Vec::new();
            for (id, m, file, e, ty) in pending {
                match self.eval_const(m, file, &e, &ty) {
                    Ok(v) => {
                        self.check_const_range(&v, &ty, self.loc(file, e.span()))?;
                        self.prog.consts[id.0 as usize].value = v;
                        self.const_done[id.0 as usize] = true;
                    }
                    Err(d) if d.message == PENDING => rest.push((id, m, file, e, ty)),
                    Err(d) => return Err(d),
                }
            }
            if rest.is_empty() {
                return Ok(());
            }
            if rest.len() == before {
                let (id, ..) = &rest[0];
                let c = &self.prog.consts[id.0 as usize];
                return Err(Diagnostic::new(
                    c.loc,
                    format!("constant `{}` depends on itself", c.name),
                )
                .help("break the cycle between the constants"));
            }
            pending = rest;
        }
    }

    fn check_const_range(&self, v: &ConstValue, ty: &Ty, loc: Loc) -> DResult<()> {
        if let (ConstValue::Int(x, _), Ty::Int(it)) = (v, ty) {
            if !int_fits(*x, *it) {
                return Err(Diagnostic::new(
                    loc,
                    format!("integer literal out of range for `{}`", it.name()),
                )
                .help(format!(
                    "`{}` holds {}..={}",
                    it.name(),
                    int_min(*it),
                    int_max_str(*it)
                )));
            }
        }
        Ok(())
    }

    fn new_module(
        &mut self,
        name: String,
        parent: Option<ModId>,
        file: FileId,
        dir: PathBuf,
    ) -> ModId {
        self.prog.modules.push(Module {
            name,
            parent,
            file,
            dir,
            items: HashMap::new(),
            uses: HashMap::new(),
            globs: Vec::new(),
        });
        ModId(self.prog.modules.len() as u32 - 1)
    }

    fn loc(&self, file: FileId, span: proc_macro2::Span) -> Loc {
        loc_of(&self.prog.sources, file, span)
    }

    fn define(&mut self, m: ModId, name: String, item: Item, loc: Loc) -> DResult<()> {
        let module = &mut self.prog.modules[m.0 as usize];
        if module.items.contains_key(&name) {
            return Err(
                Diagnostic::new(loc, format!("`{name}` is defined twice in this module"))
                    .help("rename one of the two definitions"),
            );
        }
        module.items.insert(name, item);
        Ok(())
    }

    fn module_path(&self, m: ModId) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(m);
        while let Some(c) = cur {
            let module = &self.prog.modules[c.0 as usize];
            if module.parent.is_some() {
                parts.push(module.name.clone());
            }
            cur = module.parent;
        }
        parts.reverse();
        parts.join("::")
    }

    fn collect_items(
        &mut self,
        m: ModId,
        file: FileId,
        items: &[syn::Item],
        impls: &mut Vec<(ModId, FileId, syn::ItemImpl)>,
    ) -> DResult<()> {
        for item in items {
            match item {
                syn::Item::Use(u) => self.collect_use(m, file, &u.tree, Vec::new())?,
                syn::Item::Mod(md) => {
                    if is_cfg_test(&md.attrs) {
                        continue;
                    }
                    let name = md.ident.to_string();
                    let loc = self.loc(file, md.ident.span());
                    let parent_dir = self.prog.modules[m.0 as usize].dir.clone();
                    match &md.content {
                        Some((_, inner)) => {
                            let sub = self.new_module(
                                name.clone(),
                                Some(m),
                                file,
                                parent_dir.join(&name),
                            );
                            self.define(m, name, Item::Module(sub), loc)?;
                            self.collect_items(sub, file, inner, impls)?;
                        }
                        None => {
                            let a = parent_dir.join(format!("{name}.rs"));
                            let b = parent_dir.join(&name).join("mod.rs");
                            let path = if a.is_file() {
                                a
                            } else if b.is_file() {
                                b
                            } else {
                                return Err(Diagnostic::new(
                                    loc,
                                    format!("file not found for module `{name}`"),
                                )
                                .help(format!(
                                    "create `{}` or `{}`",
                                    a.display(),
                                    b.display()
                                )));
                            };
                            let (f2, ast) = parse_file(&mut self.prog.sources, &path)?;
                            let sub =
                                self.new_module(name.clone(), Some(m), f2, parent_dir.join(&name));
                            self.define(m, name, Item::Module(sub), loc)?;
                            self.collect_items(sub, f2, &ast.items, impls)?;
                        }
                    }
                }
                syn::Item::Struct(s) => {
                    let loc = self.loc(file, s.ident.span());
                    self.check_no_generics(&s.generics, file)?;
                    if !matches!(s.fields, syn::Fields::Named(_)) {
                        return Err(Diagnostic::new(
                            loc,
                            "tuple and unit structs are not supported",
                        )
                        .help("give the struct named fields: `struct S { field: T }`"));
                    }
                    let id = self.new_adt(
                        m,
                        s.ident.to_string(),
                        &s.attrs,
                        loc,
                        SynAdt::Struct(s.clone()),
                    );
                    self.define(m, s.ident.to_string(), Item::Adt(id), loc)?;
                }
                syn::Item::Enum(e) => {
                    let loc = self.loc(file, e.ident.span());
                    self.check_no_generics(&e.generics, file)?;
                    let id = self.new_adt(
                        m,
                        e.ident.to_string(),
                        &e.attrs,
                        loc,
                        SynAdt::Enum(e.clone()),
                    );
                    self.define(m, e.ident.to_string(), Item::Adt(id), loc)?;
                }
                syn::Item::Fn(f) => {
                    if is_cfg_test(&f.attrs) {
                        continue;
                    }
                    let id = self.new_fn(m, file, &f.attrs, &f.sig, Some(&f.block), None)?;
                    let loc = self.loc(file, f.sig.ident.span());
                    self.define(m, f.sig.ident.to_string(), Item::Fn(id), loc)?;
                    self.pending_fns.push((id, f.clone()));
                }
                syn::Item::Impl(i) => {
                    if is_cfg_test(&i.attrs) {
                        continue;
                    }
                    impls.push((m, file, i.clone()));
                }
                syn::Item::Const(c) => {
                    let loc = self.loc(file, c.ident.span());
                    let ty = self.resolve_type(m, file, &c.ty, None)?;
                    self.prog.consts.push(ConstDef {
                        name: c.ident.to_string(),
                        ty: ty.clone(),
                        value: ConstValue::Int(0, IntTy::I64),
                        loc,
                    });
                    let id = ConstId(self.prog.consts.len() as u32 - 1);
                    self.pending_consts
                        .push((id, m, file, (*c.expr).clone(), ty));
                    self.define(m, c.ident.to_string(), Item::Const(id), loc)?;
                }
                syn::Item::Static(s) => {
                    let loc = self.loc(file, s.ident.span());
                    let ty = self.resolve_type(m, file, &s.ty, None)?;
                    if ty != Ty::JitDriver {
                        return Err(Diagnostic::new(loc, "the only `static` items in the DSL are JIT drivers").help("use a `const` for constants, or a GC object reachable from the entry for mutable global state"));
                    }
                    if matches!(s.mutability, syn::StaticMutability::Mut(_)) {
                        return Err(Diagnostic::new(loc, "`static mut` is not supported").help(
                            "declare the driver as `static NAME: JitDriver = JitDriver { ... };`",
                        ));
                    }
                    let d = self.parse_driver(m, file, s)?;
                    self.prog.drivers.push(d);
                    let id = DriverId(self.prog.drivers.len() as u32 - 1);
                    self.define(m, s.ident.to_string(), Item::Driver(id), loc)?;
                }
                syn::Item::Trait(t) => {
                    return Err(Diagnostic::new(
                        self.loc(file, t.ident.span()),
                        "traits are not supported in the DSL",
                    )
                    .help(
                        "use an enum with a `match`, or inherent methods (`impl Type { ... }`)",
                    ));
                }
                syn::Item::Type(t) => {
                    return Err(Diagnostic::new(
                        self.loc(file, t.ident.span()),
                        "type aliases are not supported yet",
                    )
                    .help("write the type out in full"));
                }
                syn::Item::Union(u) => {
                    return Err(Diagnostic::new(
                        self.loc(file, u.ident.span()),
                        "unions are not supported",
                    )
                    .help("use an enum with payloads"));
                }
                syn::Item::Macro(mac) => {
                    return Err(Diagnostic::new(self.loc(file, mac.mac.path.span()), "macro items (`macro_rules!` and macro invocations at item level) are not supported").help("write the items out; inside functions, only `matches!`, `panic!`, `unreachable!`, `jit_merge_point!` and `can_enter_jit!` are accepted"));
                }
                syn::Item::ExternCrate(_) => {}
                syn::Item::ForeignMod(f) => {
                    return Err(Diagnostic::new(
                        self.loc(file, f.abi.span()),
                        "`extern` blocks are not supported",
                    )
                    .help("call foreign code from a `#[vmkit::host]` function"));
                }
                other => {
                    return Err(Diagnostic::new(
                        self.loc(file, other.span()),
                        "this kind of item is not supported in the DSL",
                    )
                    .help("see docs/dsl.md for the accepted items"));
                }
            }
        }
        Ok(())
    }

    fn check_no_generics(&self, g: &syn::Generics, file: FileId) -> DResult<()> {
        if let Some(p) = g.params.first() {
            return Err(Diagnostic::new(self.loc(file, p.span()), "generic parameters are not supported in the DSL").help("write one concrete type or function per use (the vmkit containers GcList/GcArray/GcMap are generic already)"));
        }
        Ok(())
    }

    fn collect_use(
        &mut self,
        m: ModId,
        file: FileId,
        tree: &syn::UseTree,
        mut prefix: Vec<String>,
    ) -> DResult<()> {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.collect_use(m, file, &p.tree, prefix)
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let loc = self.loc(file, n.ident.span());
                if name == "self" {
                    let alias = prefix.last().cloned().unwrap_or_default();
                    self.prog.modules[m.0 as usize]
                        .uses
                        .insert(alias, (prefix, loc));
                } else {
                    prefix.push(name.clone());
                    self.prog.modules[m.0 as usize]
                        .uses
                        .insert(name, (prefix, loc));
                }
                Ok(())
            }
            syn::UseTree::Rename(r) => {
                let loc = self.loc(file, r.ident.span());
                prefix.push(r.ident.to_string());
                self.prog.modules[m.0 as usize]
                    .uses
                    .insert(r.rename.to_string(), (prefix, loc));
                Ok(())
            }
            syn::UseTree::Glob(g) => {
                let loc = self.loc(file, g.star_token.span());
                self.prog.modules[m.0 as usize].globs.push((prefix, loc));
                Ok(())
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.collect_use(m, file, t, prefix.clone())?;
                }
                Ok(())
            }
        }
    }

    fn new_adt(
        &mut self,
        m: ModId,
        name: String,
        attrs: &[syn::Attribute],
        loc: Loc,
        syn_item: SynAdt,
    ) -> AdtId {
        let mut is_value = false;
        let mut virtualizable = false;
        for a in attrs {
            if a.path().is_ident("derive") {
                let s = quote::ToTokens::to_token_stream(&a.meta).to_string();
                if s.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|w| w == "Copy")
                {
                    is_value = true;
                }
            }
            if attr_name(a).as_deref() == Some("virtualizable") {
                virtualizable = true;
            }
        }
        let kind = match &syn_item {
            SynAdt::Struct(_) => AdtKind::Struct(Vec::new()),
            SynAdt::Enum(_) => AdtKind::Enum(Vec::new()),
        };
        self.prog.adts.push(AdtDef {
            name,
            module: m,
            kind,
            is_value,
            virtualizable,
            loc,
            syn_item: Some(syn_item),
        });
        AdtId(self.prog.adts.len() as u32 - 1)
    }

    fn resolve_adt(&mut self, id: AdtId) -> DResult<()> {
        let adt = self.prog.adts[id.0 as usize].clone();
        let m = adt.module;
        let file = self.prog.modules[m.0 as usize].file;
        let kind = match adt.syn_item.as_ref().expect("syn item") {
            SynAdt::Struct(s) => {
                let mut fields = Vec::new();
                for f in &s.fields {
                    let name = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                    let loc = self.loc(
                        file,
                        f.ident
                            .as_ref()
                            .map(|i| i.span())
                            .unwrap_or_else(|| f.span()),
                    );
                    let ty = self.resolve_type(m, file, &f.ty, Some(id))?;
                    if adt.is_value && matches!(ty, Ty::Mut(_) | Ty::QuasiImmut(_)) {
                        return Err(Diagnostic::new(loc, "a `Copy` value struct cannot have `Mut`/`QuasiImmut` fields").help("make the struct a GC type (remove `Copy` and use it as `Gc<T>`), or build a new value instead of mutating"));
                    }
                    fields.push(FieldDef { name, ty, loc });
                }
                AdtKind::Struct(fields)
            }
            SynAdt::Enum(e) => {
                let mut variants = Vec::new();
                for v in &e.variants {
                    let loc = self.loc(file, v.ident.span());
                    let mut tys = Vec::new();
                    match &v.fields {
                        syn::Fields::Unit => {}
                        syn::Fields::Unnamed(u) => {
                            for f in &u.unnamed {
                                let t = self.resolve_type(m, file, &f.ty, Some(id))?;
                                if matches!(t, Ty::Mut(_) | Ty::QuasiImmut(_)) {
                                    return Err(Diagnostic::new(self.loc(file, f.ty.span()), "enum payloads cannot be `Mut`/`QuasiImmut`").help("put the mutable state in a GC struct and store `Gc<Struct>` in the variant"));
                                }
                                tys.push(t);
                            }
                        }
                        syn::Fields::Named(_) => {
                            return Err(Diagnostic::new(loc, "enum variants with named fields are not supported").help("use a tuple variant `Variant(T, U)`, or a variant holding a struct"));
                        }
                    }
                    if v.discriminant.is_some() {
                        return Err(Diagnostic::new(
                            loc,
                            "explicit enum discriminants are not supported",
                        )
                        .help("remove `= value`; convert with a `match` if you need numbers"));
                    }
                    variants.push(VariantDef {
                        name: v.ident.to_string(),
                        fields: tys,
                        loc,
                    });
                }
                AdtKind::Enum(variants)
            }
        };
        self.prog.adts[id.0 as usize].kind = kind;
        Ok(())
    }

    fn collect_impl(&mut self, m: ModId, file: FileId, imp: &syn::ItemImpl) -> DResult<()> {
        let loc = self.loc(file, imp.self_ty.span());
        self.check_no_generics(&imp.generics, file)?;
        let self_ty = self
            .resolve_type(m, file, &imp.self_ty, None)
            .or_else(|_| {
                // `impl Struct` of a GC type: the bare name is fine here.
                self.resolve_bare_adt(m, file, &imp.self_ty)
            })?;
        let adt = match self_ty {
            Ty::Adt(a) | Ty::Gc(a) => a,
            _ => {
                return Err(Diagnostic::new(
                    loc,
                    "`impl` blocks are only supported for the program's own structs and enums",
                )
                .help("write a free function instead"))
            }
        };
        let mut is_map_key = false;
        if let Some((_, path, _)) = &imp.trait_ {
            let segs = path_segs(path);
            let item = self
                .prog
                .resolve_path(m, &segs, self.loc(file, path.span()))
                .map(|(i, _)| i)
                .unwrap_or(Item::External(segs.join("::")));
            if item == Item::Builtin("MapKey".into()) {
                is_map_key = true;
            } else {
                return Err(Diagnostic::new(self.loc(file, path.span()), format!("implementing `{}` is not supported", segs.join("::"))).help("the only trait implementation in the DSL is `impl vmkit::MapKey for T`; write inherent methods instead"));
            }
        }
        let (mut hash, mut eq) = (None, None);
        for it in &imp.items {
            match it {
                syn::ImplItem::Fn(f) if is_cfg_test(&f.attrs) => {}
                syn::ImplItem::Fn(f) => {
                    let id = self.new_fn(
                        m,
                        file,
                        &f.attrs,
                        &f.sig,
                        Some(&f.block),
                        Some((adt, (*imp.self_ty).clone())),
                    )?;
                    self.resolve_fn(id, &f.sig)?;
                    if is_map_key {
                        match f.sig.ident.to_string().as_str() {
                            "key_hash" => hash = Some(id),
                            "key_eq" => eq = Some(id),
                            _ => {}
                        }
                    }
                }
                syn::ImplItem::Const(c) => {
                    return Err(Diagnostic::new(
                        self.loc(file, c.ident.span()),
                        "associated constants are not supported",
                    )
                    .help("use a module-level `const`"));
                }
                other => {
                    return Err(Diagnostic::new(
                        self.loc(file, other.span()),
                        "only functions are supported in `impl` blocks",
                    )
                    .help("move other items to module level"));
                }
            }
        }
        if is_map_key {
            let self_ty = if self.prog.adts[adt.0 as usize].is_value {
                Ty::Adt(adt)
            } else {
                Ty::Gc(adt)
            };
            for (f, want_ret, nparams) in [(hash, Ty::Int(IntTy::U64), 1usize), (eq, Ty::Bool, 2)] {
                if let Some(f) = f {
                    let fd = &self.prog.fns[f.0 as usize];
                    let ok = fd.has_self
                        && fd.params.len() == nparams
                        && fd.params.iter().all(|p| p.ty == self_ty)
                        && fd.ret == want_ret;
                    if !ok {
                        return Err(Diagnostic::new(fd.loc, format!("`{}` has the wrong signature for `MapKey`", fd.name)).help("write `fn key_hash(&self) -> u64` and `fn key_eq(&self, other: &Self) -> bool`"));
                    }
                }
            }
            match (hash, eq) {
                (Some(h), Some(e)) => {
                    self.prog.map_keys.insert(adt, (h, e));
                }
                _ => return Err(Diagnostic::new(loc, "`impl MapKey` needs both `key_hash` and `key_eq`").help("fn key_hash(&self) -> u64 { ... } fn key_eq(&self, other: &Self) -> bool { ... }")),
            }
        }
        Ok(())
    }

    fn resolve_bare_adt(&self, m: ModId, file: FileId, t: &syn::Type) -> DResult<Ty> {
        if let syn::Type::Path(p) = t {
            let segs = path_segs(&p.path);
            if let Ok((Item::Adt(a), rest)) =
                self.prog.resolve_path(m, &segs, self.loc(file, p.span()))
            {
                if rest.is_empty() {
                    return Ok(Ty::Gc(a));
                }
            }
        }
        Err(
            Diagnostic::new(self.loc(file, t.span()), "unsupported type in `impl`")
                .help("implement methods on the program's own structs and enums"),
        )
    }

    fn new_fn(
        &mut self,
        m: ModId,
        file: FileId,
        attrs: &[syn::Attribute],
        sig: &syn::Signature,
        body: Option<&syn::Block>,
        imp: Option<(AdtId, syn::Type)>,
    ) -> DResult<FnId> {
        let loc = self.loc(file, sig.ident.span());
        let mut hints = Hints::default();
        let (mut is_entry, mut is_host, mut is_ffi_handler) = (false, false, false);
        for a in attrs {
            if let Some(n) = attr_name(a) {
                let is_vmkit = a.path().segments.len() == 1
                    || a.path()
                        .segments
                        .first()
                        .is_some_and(|s| s.ident == "vmkit");
                if !is_vmkit || !HINTS.contains(&n.as_str()) {
                    continue;
                }
                match n.as_str() {
                    "elidable" => hints.elidable = true,
                    "unroll_safe" => hints.unroll_safe = true,
                    "dont_look_inside" => hints.dont_look_inside = true,
                    "loop_invariant" => hints.loop_invariant = true,
                    "entry" => is_entry = true,
                    "host" => is_host = true,
                    "ffi_callback" => is_ffi_handler = true,
                    _ => {}
                }
            }
        }
        if !is_host {
            self.check_no_generics(&sig.generics, file)?;
            if let Some(c) = &sig.constness {
                let _ = c;
            }
            if sig.asyncness.is_some() {
                return Err(Diagnostic::new(loc, "`async` functions are not supported")
                    .help("remove `async`"));
            }
            if sig.unsafety.is_some() {
                return Err(Diagnostic::new(
                    loc,
                    "`unsafe` functions are not supported in the DSL",
                )
                .help("move unsafe code into a `#[vmkit::host]` function"));
            }
            if sig.variadic.is_some() || sig.abi.is_some() {
                return Err(Diagnostic::new(
                    loc,
                    "`extern` functions are not supported in the DSL",
                )
                .help("move foreign code into a `#[vmkit::host]` function"));
            }
        }
        let name = sig.ident.to_string();
        let path = match &imp {
            Some((adt, _)) => format!("{}::{}", self.prog.adts[adt.0 as usize].name, name),
            None => {
                let mp = self.module_path(m);
                if mp.is_empty() {
                    name.clone()
                } else {
                    format!("{mp}::{name}")
                }
            }
        };
        self.prog.fns.push(FnDef {
            name,
            path,
            module: m,
            self_adt: imp.as_ref().map(|(a, _)| *a),
            has_self: false,
            params: Vec::new(),
            ret: Ty::Unit,
            hints,
            is_entry,
            is_host,
            loc,
            sig: sig.clone(),
            body: if is_host { None } else { body.cloned() },
            impl_self: imp.map(|(_, t)| t),
        });
        let id = FnId(self.prog.fns.len() as u32 - 1);
        if is_entry {
            if let Some(prev) = self.prog.entry {
                let p = self.prog.fns[prev.0 as usize].path.clone();
                return Err(Diagnostic::new(
                    loc,
                    format!("a second `#[vmkit::entry]` function (the first is `{p}`)"),
                )
                .help("keep exactly one entry function"));
            }
            self.prog.entry = Some(id);
        }
        if is_ffi_handler {
            if let Some(prev) = self.prog.ffi_handler {
                let p = self.prog.fns[prev.0 as usize].path.clone();
                return Err(Diagnostic::new(
                    loc,
                    format!("a second `#[vmkit::ffi_callback]` function (the first is `{p}`)"),
                )
                .help("keep exactly one function receiving C callbacks; dispatch on its `id` argument"));
            }
            self.prog.ffi_handler = Some(id);
        }
        Ok(id)
    }

    fn resolve_fn(&mut self, id: FnId, sig: &syn::Signature) -> DResult<()> {
        let f = self.prog.fns[id.0 as usize].clone();
        let file = self.prog.modules[f.module.0 as usize].file;
        let mut params = Vec::new();
        let mut has_self = false;
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    let loc = self.loc(file, r.span());
                    let Some(adt) = f.self_adt else {
                        return Err(Diagnostic::new(loc, "`self` outside an `impl` block")
                            .help("remove `self`"));
                    };
                    if r.mutability.is_some() || r.reference.as_ref().is_some_and(|(_, _)| matches!(&*r.ty, syn::Type::Reference(rr) if rr.mutability.is_some())) {
                        return Err(Diagnostic::new(loc, "`&mut self` is not supported").help("take `&self` and mutate through `Mut<T>` fields"));
                    }
                    if r.colon_token.is_some() {
                        return Err(Diagnostic::new(loc, "explicit `self` types are not supported").help("write `&self`; for the object as a `Gc<Self>`, use an associated function `fn f(this: Gc<Self>)`"));
                    }
                    let a = &self.prog.adts[adt.0 as usize];
                    if r.reference.is_none() && !a.is_value {
                        return Err(Diagnostic::new(loc, "methods of a GC type take `&self`")
                            .help("write `&self`"));
                    }
                    has_self = true;
                    params.push(Param {
                        name: "self".into(),
                        ty: if a.is_value {
                            Ty::Adt(adt)
                        } else {
                            Ty::Gc(adt)
                        },
                        loc,
                    });
                }
                syn::FnArg::Typed(pt) => {
                    let loc = self.loc(file, pt.pat.span());
                    let name = match &*pt.pat {
                        syn::Pat::Ident(pi) if pi.subpat.is_none() => pi.ident.to_string(),
                        syn::Pat::Wild(_) => "_".to_string(),
                        _ => {
                            return Err(Diagnostic::new(
                                loc,
                                "patterns in parameters are not supported",
                            )
                            .help("name the parameter and destructure it with `let` in the body"))
                        }
                    };
                    let ty = self.resolve_type(f.module, file, &pt.ty, f.self_adt)?;
                    if matches!(ty, Ty::Mut(_) | Ty::QuasiImmut(_)) {
                        return Err(Diagnostic::new(
                            self.loc(file, pt.ty.span()),
                            "`Mut`/`QuasiImmut` are field types only",
                        )
                        .help("pass the value (`T`) or the object that holds the field"));
                    }
                    params.push(Param { name, ty, loc });
                }
            }
        }
        let ret = match &sig.output {
            syn::ReturnType::Default => Ty::Unit,
            syn::ReturnType::Type(_, t) => {
                if let syn::Type::Never(_) = &**t {
                    Ty::Never
                } else {
                    self.resolve_type(f.module, file, t, f.self_adt)?
                }
            }
        };
        if f.is_host {
            let ok = |t: &Ty| {
                matches!(
                    t,
                    Ty::Int(IntTy::I64 | IntTy::U64 | IntTy::Usize | IntTy::U8)
                        | Ty::F64
                        | Ty::Bool
                        | Ty::Str
                        | Ty::Unit
                )
            };
            for p in &params {
                if !ok(&p.ty) {
                    return Err(Diagnostic::new(p.loc, format!("host function parameter of type `{}`", self.prog.ty_str(&p.ty))).help("host functions take and return only i64, u64, usize, u8, f64, bool, Str and (); serialise structured data into a Str"));
                }
            }
            if !ok(&ret) {
                return Err(Diagnostic::new(f.loc, format!("host function returning `{}`", self.prog.ty_str(&ret))).help("host functions take and return only i64, u64, usize, u8, f64, bool, Str and (); serialise structured data into a Str"));
            }
        }
        let fm = &mut self.prog.fns[id.0 as usize];
        fm.params = params;
        fm.ret = ret;
        fm.has_self = has_self;
        Ok(())
    }

    fn check_ffi_handler(&self) -> DResult<()> {
        let Some(h) = self.prog.ffi_handler else {
            return Ok(());
        };
        let f = &self.prog.fns[h.0 as usize];
        let ok = f.params.len() == 4
            && matches!(f.params[0].ty, Ty::Gc(_))
            && f.params[1].ty == Ty::Int(IntTy::I64)
            && f.params[2].ty == Ty::Array(Box::new(Ty::Int(IntTy::I64)))
            && f.params[3].ty == Ty::Array(Box::new(Ty::F64))
            && f.ret == Ty::Int(IntTy::I64)
            && !f.is_host
            && f.self_adt.is_none();
        if !ok {
            return Err(Diagnostic::new(
                f.loc,
                "the `#[vmkit::ffi_callback]` function must have the signature `fn(ctx: Gc<T>, id: i64, ints: GcArray<i64>, floats: GcArray<f64>) -> i64`",
            )
            .help("it receives the context and id given to `ffi::callback` and the callback's integer and floating-point arguments, and returns the C result"));
        }
        Ok(())
    }

    fn check_entry(&self) -> DResult<()> {
        let Some(e) = self.prog.entry else {
            return Err(Diagnostic::new(Loc { file: FileId(0), start: 0, end: 0 }, "no `#[vmkit::entry]` function").help("add `#[vmkit::entry] pub fn entry(args: GcList<Str>) -> i64 { ... }` to the crate root"));
        };
        let f = &self.prog.fns[e.0 as usize];
        let ok = f.params.len() == 1
            && f.params[0].ty == Ty::List(Box::new(Ty::Str))
            && f.ret == Ty::Int(IntTy::I64);
        if !ok {
            return Err(Diagnostic::new(
                f.loc,
                "the entry function must have the signature `fn(args: GcList<Str>) -> i64`",
            )
            .help("take the argument list (without the program name) and return the exit status"));
        }
        Ok(())
    }

    /// Converts a syn type written in module `m`. `self_adt` resolves `Self`.
    fn resolve_type(
        &self,
        m: ModId,
        file: FileId,
        t: &syn::Type,
        self_adt: Option<AdtId>,
    ) -> DResult<Ty> {
        resolve_type(&self.prog, m, file, t, self_adt)
    }

    fn eval_const(&self, m: ModId, file: FileId, e: &syn::Expr, ty: &Ty) -> DResult<ConstValue> {
        let loc = self.loc(file, e.span());
        let bad = || {
            Diagnostic::new(loc, "this constant expression is not supported")
                .help("use a literal, another constant, or arithmetic on them")
        };
        let v = match e {
            syn::Expr::Lit(l) => match &l.lit {
                syn::Lit::Int(i) => match ty {
                    Ty::Int(it) => ConstValue::Int(
                        parse_int_lit(i).ok_or_else(|| {
                            Diagnostic::new(loc, "integer literal out of range")
                                .help("use a smaller value")
                        })?,
                        *it,
                    ),
                    Ty::F64 => ConstValue::Float(i.base10_parse::<f64>().map_err(|_| bad())?),
                    _ => return Err(bad()),
                },
                syn::Lit::Float(f) => {
                    ConstValue::Float(f.base10_parse::<f64>().map_err(|_| bad())?)
                }
                syn::Lit::Bool(b) => ConstValue::Bool(b.value),
                syn::Lit::Byte(b) => ConstValue::Int(b.value() as i64, IntTy::U8),
                _ => return Err(bad()),
            },
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
                match self.eval_const(m, file, &u.expr, ty)? {
                    ConstValue::Int(v, t) => ConstValue::Int(v.wrapping_neg(), t),
                    ConstValue::Float(f) => ConstValue::Float(-f),
                    _ => return Err(bad()),
                }
            }
            syn::Expr::Paren(p) => self.eval_const(m, file, &p.expr, ty)?,
            syn::Expr::Cast(c) => {
                let to = self.resolve_type(m, file, &c.ty, None)?;
                let inner_ty = match &*c.expr {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Float(_),
                        ..
                    }) => Ty::F64,
                    _ => Ty::Int(IntTy::I64),
                };
                let v = self
                    .eval_const(m, file, &c.expr, &inner_ty)
                    .or_else(|_| self.eval_const(m, file, &c.expr, &Ty::F64))?;
                match (v, &to) {
                    (ConstValue::Int(i, _), Ty::Int(t)) => ConstValue::Int(t.wrap(i), *t),
                    (ConstValue::Int(i, it), Ty::F64) => ConstValue::Float(if it.signed() {
                        i as f64
                    } else {
                        i as u64 as f64
                    }),
                    // Rust `as`: saturating, NaN -> 0, per target type
                    (ConstValue::Float(f), Ty::Int(t)) => ConstValue::Int(
                        match t {
                            IntTy::I64 => f as i64,
                            IntTy::U64 | IntTy::Usize => f as u64 as i64,
                            IntTy::U8 => f as u8 as i64,
                            IntTy::U32 => f as u32 as i64,
                            IntTy::I32 => f as i32 as i64,
                        },
                        *t,
                    ),
                    (ConstValue::Float(f), Ty::F64) => ConstValue::Float(f),
                    (ConstValue::Bool(b), Ty::Int(t)) => ConstValue::Int(b as i64, *t),
                    _ => return Err(bad()),
                }
            }
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
                match self.eval_const(m, file, &u.expr, ty)? {
                    ConstValue::Bool(b) => ConstValue::Bool(!b),
                    ConstValue::Int(v, t) => ConstValue::Int(t.wrap(!v), t),
                    _ => return Err(bad()),
                }
            }
            syn::Expr::Path(p) => {
                let segs = path_segs(&p.path);
                match self.prog.resolve_path(m, &segs, loc)? {
                    (Item::Const(c), r) if r.is_empty() => {
                        if !self.const_done.get(c.0 as usize).copied().unwrap_or(true) {
                            return Err(Diagnostic::new(loc, PENDING));
                        }
                        self.prog.consts[c.0 as usize].value.clone()
                    }
                    (Item::Builtin(b), r) if r.len() == 1 => {
                        match (IntTy::from_name(&b), r[0].as_str()) {
                            (Some(it), "MAX") => ConstValue::Int(int_max(it), it),
                            (Some(it), "MIN") => ConstValue::Int(int_min(it), it),
                            _ => return Err(bad()),
                        }
                    }
                    _ => return Err(bad()),
                }
            }
            syn::Expr::Binary(b) => {
                let l = self.eval_const(m, file, &b.left, ty)?;
                let r = self.eval_const(m, file, &b.right, ty)?;
                match (l, r) {
                    (ConstValue::Int(a, t), ConstValue::Int(c, _)) if !t.signed() => {
                        // unsigned arithmetic on the bit patterns, checked like rustc's const eval
                        let (x, y) = (a as u64, c as u64);
                        let v = match b.op {
                            syn::BinOp::Add(_) => x.checked_add(y),
                            syn::BinOp::Sub(_) => x.checked_sub(y),
                            syn::BinOp::Mul(_) => x.checked_mul(y),
                            syn::BinOp::Div(_) => x.checked_div(y),
                            syn::BinOp::Rem(_) => x.checked_rem(y),
                            syn::BinOp::Shl(_) => x.checked_shl(y as u32),
                            syn::BinOp::Shr(_) => x.checked_shr(y as u32),
                            syn::BinOp::BitAnd(_) => Some(x & y),
                            syn::BinOp::BitOr(_) => Some(x | y),
                            syn::BinOp::BitXor(_) => Some(x ^ y),
                            _ => None,
                        };
                        let v = v.ok_or_else(bad)? as i64;
                        ConstValue::Int(t.wrap(v), t)
                    }
                    (ConstValue::Int(a, t), ConstValue::Int(c, _)) => {
                        let v = match b.op {
                            syn::BinOp::Add(_) => a.checked_add(c),
                            syn::BinOp::Sub(_) => a.checked_sub(c),
                            syn::BinOp::Mul(_) => a.checked_mul(c),
                            syn::BinOp::Div(_) => a.checked_div(c),
                            syn::BinOp::Rem(_) => a.checked_rem(c),
                            syn::BinOp::Shl(_) => a.checked_shl(c as u32),
                            syn::BinOp::Shr(_) => a.checked_shr(c as u32),
                            syn::BinOp::BitAnd(_) => Some(a & c),
                            syn::BinOp::BitOr(_) => Some(a | c),
                            _ => None,
                        };
                        ConstValue::Int(v.ok_or_else(bad)?, t)
                    }
                    (ConstValue::Float(a), ConstValue::Float(c)) => ConstValue::Float(match b.op {
                        syn::BinOp::Add(_) => a + c,
                        syn::BinOp::Sub(_) => a - c,
                        syn::BinOp::Mul(_) => a * c,
                        syn::BinOp::Div(_) => a / c,
                        _ => return Err(bad()),
                    }),
                    _ => return Err(bad()),
                }
            }
            _ => return Err(bad()),
        };
        match (&v, ty) {
            (ConstValue::Int(..), Ty::Int(_))
            | (ConstValue::Float(_), Ty::F64)
            | (ConstValue::Bool(_), Ty::Bool) => Ok(v),
            _ => Err(Diagnostic::new(
                loc,
                format!(
                    "constant of type `{}` with a value of another type",
                    self.prog.ty_str(ty)
                ),
            )
            .help("constants are integers, floats or bools, of their declared type")),
        }
    }

    fn parse_driver(&self, m: ModId, file: FileId, s: &syn::ItemStatic) -> DResult<DriverDef> {
        let loc = self.loc(file, s.expr.span());
        let help = "write `JitDriver { name: \"..\", greens: &[\"..\"], reds: &[\"..\"], virtualizables: &[], get_printable_location: None }`";
        let syn::Expr::Struct(st) = &*s.expr else {
            return Err(
                Diagnostic::new(loc, "a JIT driver must be written as a struct literal").help(help),
            );
        };
        let mut d = DriverDef {
            static_name: s.ident.to_string(),
            name: String::new(),
            greens: vec![],
            reds: vec![],
            virtualizables: vec![],
            get_printable_location: None,
            loc: self.loc(file, s.ident.span()),
            module: Some(m),
            printable_loc: Loc::default(),
        };
        let mut greens_loc = loc;
        let mut virt_locs: Vec<Loc> = Vec::new();
        let lit_str = |e: &syn::Expr| -> DResult<String> {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(ls),
                ..
            }) = e
            {
                Ok(ls.value())
            } else {
                Err(
                    Diagnostic::new(self.loc(file, e.span()), "expected a string literal")
                        .help(help),
                )
            }
        };
        let str_list = |e: &syn::Expr| -> DResult<Vec<String>> {
            let inner = match e {
                syn::Expr::Reference(r) => &*r.expr,
                other => other,
            };
            let syn::Expr::Array(a) = inner else {
                return Err(Diagnostic::new(
                    self.loc(file, e.span()),
                    "expected `&[\"name\", ...]`",
                )
                .help(help));
            };
            a.elems.iter().map(lit_str).collect()
        };
        for f in &st.fields {
            let syn::Member::Named(n) = &f.member else {
                continue;
            };
            match n.to_string().as_str() {
                "name" => d.name = lit_str(&f.expr)?,
                "greens" => {
                    greens_loc = self.loc(file, f.expr.span());
                    d.greens = str_list(&f.expr)?
                }
                "reds" => d.reds = str_list(&f.expr)?,
                "virtualizables" => {
                    d.virtualizables = str_list(&f.expr)?;
                    if let syn::Expr::Reference(r) = &f.expr {
                        if let syn::Expr::Array(a) = &*r.expr {
                            virt_locs = a.elems.iter().map(|e| self.loc(file, e.span())).collect();
                        }
                    }
                }
                "get_printable_location" => {
                    d.get_printable_location = match &f.expr {
                        syn::Expr::Path(p) if p.path.is_ident("None") => None,
                        syn::Expr::Call(c) if args_one(c) => {
                            d.printable_loc = self.loc(file, c.args[0].span());
                            Some(lit_str(&c.args[0])?)
                        }
                        other => {
                            return Err(Diagnostic::new(
                                self.loc(file, other.span()),
                                "expected `None` or `Some(\"function_name\")`",
                            )
                            .help(help))
                        }
                    }
                }
                other => {
                    return Err(Diagnostic::new(
                        self.loc(file, n.span()),
                        format!("unknown JIT driver field `{other}`"),
                    )
                    .help(help))
                }
            }
        }
        if d.greens.is_empty() {
            return Err(Diagnostic::new(
                greens_loc,
                "a JIT driver needs at least one green variable",
            )
            .help(
                "greens are the position in the user program, e.g. `greens: &[\"pc\", \"code\"]`",
            ));
        }
        for (i, v) in d.virtualizables.iter().enumerate() {
            if !d.reds.contains(v) {
                return Err(Diagnostic::new(
                    virt_locs.get(i).copied().unwrap_or(loc),
                    format!("virtualizable `{v}` is not one of the reds"),
                )
                .help("list the frame variable among the reds too"));
            }
        }
        Ok(d)
    }
}

fn args_one(c: &syn::ExprCall) -> bool {
    c.args.len() == 1 && matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("Some"))
}

pub fn parse_int_lit(i: &syn::LitInt) -> Option<i64> {
    i.base10_parse::<i64>()
        .ok()
        .or_else(|| i.base10_parse::<u64>().ok().map(|v| v as i64))
}

pub fn int_max(t: IntTy) -> i64 {
    match t {
        IntTy::I64 => i64::MAX,
        IntTy::U64 | IntTy::Usize => u64::MAX as i64,
        IntTy::U8 => 255,
        IntTy::U32 => u32::MAX as i64,
        IntTy::I32 => i32::MAX as i64,
    }
}
/// Does the (bit pattern) value `v` fit in `t` when written as a literal?
pub fn int_fits(v: i64, t: IntTy) -> bool {
    match t {
        IntTy::I64 | IntTy::U64 | IntTy::Usize => true,
        IntTy::U8 => (0..=255).contains(&v),
        IntTy::U32 => (0..=u32::MAX as i64).contains(&v),
        IntTy::I32 => (i32::MIN as i64..=i32::MAX as i64).contains(&v),
    }
}

pub fn int_max_str(t: IntTy) -> String {
    match t {
        IntTy::U64 | IntTy::Usize => u64::MAX.to_string(),
        t => int_max(t).to_string(),
    }
}

pub fn int_min(t: IntTy) -> i64 {
    match t {
        IntTy::I64 => i64::MIN,
        IntTy::I32 => i32::MIN as i64,
        _ => 0,
    }
}

/// Converts a syn type written in module `m` into a [`Ty`].
pub fn resolve_type(
    prog: &Program,
    m: ModId,
    file: FileId,
    t: &syn::Type,
    self_adt: Option<AdtId>,
) -> DResult<Ty> {
    let loc = loc_of(&prog.sources, file, t.span());
    match t {
        syn::Type::Tuple(tt) => {
            if tt.elems.is_empty() {
                return Ok(Ty::Unit);
            }
            let ts = tt
                .elems
                .iter()
                .map(|e| resolve_type(prog, m, file, e, self_adt))
                .collect::<DResult<Vec<_>>>()?;
            Ok(Ty::Tuple(ts))
        }
        syn::Type::Paren(p) => resolve_type(prog, m, file, &p.elem, self_adt),
        syn::Type::Group(g) => resolve_type(prog, m, file, &g.elem, self_adt),
        syn::Type::Reference(r) => {
            if r.mutability.is_some() {
                return Err(Diagnostic::new(loc, "`&mut` references are not supported")
                    .help("mutate through `Mut<T>` fields, `GcArray`, `GcList` or `GcMap`"));
            }
            let inner = match &*r.elem {
                syn::Type::Path(p) if p.path.is_ident("str") => {
                    return Err(Diagnostic::new(loc, "`&str` is not a DSL type")
                        .help("use `Str` (build one from a literal with `Str::from(\"...\")`)"));
                }
                other => other,
            };
            match resolve_type(prog, m, file, inner, self_adt) {
                Ok(t) => Ok(t),
                Err(_) => {
                    // `&T` of a GC struct.
                    if let syn::Type::Path(p) = inner {
                        let segs = path_segs(&p.path);
                        if segs == ["Self"] {
                            if let Some(a) = self_adt {
                                return Ok(Ty::Gc(a));
                            }
                        }
                        if let Ok((Item::Adt(a), rest)) = prog.resolve_path(m, &segs, loc) {
                            if rest.is_empty() {
                                return Ok(Ty::Gc(a));
                            }
                        }
                    }
                    resolve_type(prog, m, file, inner, self_adt)
                }
            }
        }
        syn::Type::Path(p) => {
            if p.qself.is_some() {
                return Err(Diagnostic::new(
                    loc,
                    "qualified paths (`<T as Trait>::X`) are not supported",
                )
                .help("name the type directly"));
            }
            let segs = path_segs(&p.path);
            let last = p.path.segments.last().expect("non-empty path");
            let generic_args: Vec<&syn::Type> = match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => a
                    .args
                    .iter()
                    .filter_map(|g| match g {
                        syn::GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
                syn::PathArguments::None => Vec::new(),
                syn::PathArguments::Parenthesized(_) => {
                    return Err(Diagnostic::new(loc, "function types are not supported")
                        .help("use an enum naming the operations and `match` on it"))
                }
            };
            let arg = |i: usize| -> DResult<Ty> {
                let Some(t) = generic_args.get(i) else {
                    return Err(Diagnostic::new(loc, "missing type argument")
                        .help("write the type arguments, e.g. `GcList<i64>`"));
                };
                resolve_type(prog, m, file, t, self_adt)
            };
            let nargs = |n: usize, what: &str| -> DResult<()> {
                if generic_args.len() != n {
                    Err(
                        Diagnostic::new(loc, format!("`{what}` takes {n} type argument(s)"))
                            .help("write the type arguments in full"),
                    )
                } else {
                    Ok(())
                }
            };
            if segs == ["Self"] {
                let Some(a) = self_adt else {
                    return Err(Diagnostic::new(loc, "`Self` outside an `impl` block")
                        .help("name the type"));
                };
                let adt = prog.adt(a);
                return Ok(if adt.is_value { Ty::Adt(a) } else { Ty::Gc(a) });
            }
            if segs.len() == 1 {
                match segs[0].as_str() {
                    "bool" => return Ok(Ty::Bool),
                    "f64" => return Ok(Ty::F64),
                    "f32" => {
                        return Err(Diagnostic::new(loc, "`f32` is not supported").help("use `f64`"))
                    }
                    "char" => {
                        return Err(Diagnostic::new(loc, "`char` is not supported")
                            .help("use `u8` for bytes or `u32`/`i64` for code points"))
                    }
                    "String" => {
                        return Err(Diagnostic::new(loc, "`String` is not a DSL type")
                            .help("use `Str` (immutable) or `StrBuilder` (to build one)"))
                    }
                    "Vec" => {
                        return Err(Diagnostic::new(loc, "`Vec` is not a DSL type")
                            .help("use `GcList<T>` (growable) or `GcArray<T>` (fixed length)"))
                    }
                    "Box" => {
                        return Err(Diagnostic::new(loc, "`Box` is not a DSL type")
                            .help("allocate GC objects with `Gc::new(...)` and use `Gc<T>`"))
                    }
                    "Rc" | "Arc" => {
                        return Err(Diagnostic::new(
                            loc,
                            format!("`{}` is not a DSL type", segs[0]),
                        )
                        .help("use `Gc<T>`: the translated program has a garbage collector"))
                    }
                    "HashMap" | "BTreeMap" => {
                        return Err(Diagnostic::new(
                            loc,
                            format!("`{}` is not a DSL type", segs[0]),
                        )
                        .help("use `GcMap<K, V>`"))
                    }
                    "RefCell" | "Cell" => {
                        return Err(Diagnostic::new(
                            loc,
                            format!("`{}` is not a DSL type", segs[0]),
                        )
                        .help("use a `Mut<T>` field in a GC struct"))
                    }
                    "isize" | "i8" | "i16" | "u16" | "i128" | "u128" => {
                        return Err(
                            Diagnostic::new(loc, format!("`{}` is not supported", segs[0]))
                                .help("use i64, u64, usize, u8, i32 or u32"),
                        )
                    }
                    s => {
                        if let Some(it) = IntTy::from_name(s) {
                            return Ok(Ty::Int(it));
                        }
                    }
                }
            }
            let (item, rest) = prog.resolve_path(m, &segs, loc)?;
            if !rest.is_empty() {
                return Err(Diagnostic::new(loc, "associated types are not supported")
                    .help("name the type directly"));
            }
            match item {
                Item::Adt(a) => {
                    nargs(0, &segs.join("::"))?;
                    let adt = prog.adt(a);
                    if adt.is_value {
                        Ok(Ty::Adt(a))
                    } else {
                        Err(Diagnostic::new(
                            loc,
                            format!(
                                "`{}` is a GC type and must be used through `Gc<{}>`",
                                adt.name, adt.name
                            ),
                        )
                        .help(format!(
                            "write `Gc<{}>`, or derive `Clone, Copy` to make it a value type",
                            adt.name
                        )))
                    }
                }
                Item::Builtin(b) => match b.as_str() {
                    "Option" => {
                        nargs(1, "Option")?;
                        Ok(Ty::Option(Box::new(arg(0)?)))
                    }
                    "Result" => {
                        nargs(2, "Result")?;
                        Ok(Ty::Result(Box::new(arg(0)?), Box::new(arg(1)?)))
                    }
                    "Str" => Ok(Ty::Str),
                    "StrBuilder" => Ok(Ty::StrBuilder),
                    "JitDriver" => Ok(Ty::JitDriver),
                    "Gc" => {
                        nargs(1, "Gc")?;
                        let inner = generic_args[0];
                        let inner_loc = loc_of(&prog.sources, file, inner.span());
                        if let syn::Type::Path(ip) = inner {
                            let isegs = path_segs(&ip.path);
                            if isegs == ["Self"] {
                                if let Some(a) = self_adt {
                                    return Ok(Ty::Gc(a));
                                }
                            }
                            if let Ok((Item::Adt(a), r)) = prog.resolve_path(m, &isegs, inner_loc) {
                                if r.is_empty() {
                                    if prog.adt(a).is_value {
                                        return Err(Diagnostic::new(inner_loc, format!("`{}` is a `Copy` value type; `Gc<{}>` is not allowed", prog.adt(a).name, prog.adt(a).name)).help("remove `Copy` from its derive to make it a GC type, or use the value directly"));
                                    }
                                    return Ok(Ty::Gc(a));
                                }
                            }
                        }
                        Err(Diagnostic::new(inner_loc, "`Gc<T>` takes one of the program's own structs or enums").help("strings, arrays, lists and maps are GC objects already: use `Str`, `GcArray<T>`, `GcList<T>`, `GcMap<K, V>` directly"))
                    }
                    "Mut" => {
                        nargs(1, "Mut")?;
                        Ok(Ty::Mut(Box::new(arg(0)?)))
                    }
                    "QuasiImmut" => {
                        nargs(1, "QuasiImmut")?;
                        Ok(Ty::QuasiImmut(Box::new(arg(0)?)))
                    }
                    "GcArray" => {
                        nargs(1, "GcArray")?;
                        Ok(Ty::Array(Box::new(arg(0)?)))
                    }
                    "GcList" => {
                        nargs(1, "GcList")?;
                        Ok(Ty::List(Box::new(arg(0)?)))
                    }
                    "GcMap" => {
                        nargs(2, "GcMap")?;
                        Ok(Ty::Map(Box::new(arg(0)?), Box::new(arg(1)?)))
                    }
                    other => match IntTy::from_name(other) {
                        Some(it) => Ok(Ty::Int(it)),
                        None if other == "f64" => Ok(Ty::F64),
                        None if other == "bool" => Ok(Ty::Bool),
                        None => Err(Diagnostic::new(
                            loc,
                            format!("`vmkit::{other}` is not a type"),
                        )
                        .help("see docs/dsl.md for the DSL types")),
                    },
                },
                Item::External(p) => Err(Diagnostic::new(loc, format!("`{p}` is not a DSL type"))
                    .help(
                        "DSL code uses only its own types and those of `vmkit`; see docs/dsl.md",
                    )),
                _ => Err(
                    Diagnostic::new(loc, format!("`{}` is not a type", segs.join("::")))
                        .help("name a struct, an enum, or a DSL type"),
                ),
            }
        }
        syn::Type::Slice(_) | syn::Type::Array(_) => Err(Diagnostic::new(
            loc,
            "slices and Rust arrays are not supported",
        )
        .help("use `GcArray<T>` (fixed length) or `GcList<T>` (growable)")),
        syn::Type::Ptr(_) => Err(Diagnostic::new(loc, "raw pointers are not supported")
            .help("use `Gc<T>`; unsafe code belongs in `#[vmkit::host]` functions")),
        syn::Type::BareFn(_) => Err(Diagnostic::new(loc, "function pointers are not supported")
            .help("use an enum naming the operations and `match` on it")),
        syn::Type::ImplTrait(_) | syn::Type::TraitObject(_) => Err(Diagnostic::new(
            loc,
            "trait objects and `impl Trait` are not supported",
        )
        .help("use an enum with one variant per implementation")),
        syn::Type::Never(_) => Ok(Ty::Never),
        _ => Err(
            Diagnostic::new(loc, "this type is not supported in the DSL")
                .help("see docs/dsl.md for the DSL types"),
        ),
    }
}
