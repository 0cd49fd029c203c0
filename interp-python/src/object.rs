//! The object model.
//!
//! A Python value is a [`Value`]: `None`, booleans, machine integers and floats are immediate
//! (no allocation: the JIT keeps them in registers); everything else is a [`Object`] on the GC
//! heap. Every object has a class (`cls`, itself an object whose kind is [`Kind::Class`]), an
//! immutable *kind* carrying the built-in data (a list's items, a function's code, ...), and an
//! optional attribute dictionary. An instance of a user class that derives from a built-in type
//! (`class L(list)`) has the user class as `cls` and the built-in's kind, so built-in behaviour
//! works on it unchanged.
//!
//! There are no mutable globals in the DSL: interpreter-wide state (the built-in classes, the
//! builtins namespace, `sys.modules`, recursion depth) lives in [`Vm`], passed to every function.

use crate::bigint::BigInt;
use vmkit::{Gc, GcArray, GcList, GcMap, Mut, Str};

/// A Python value.
#[derive(Clone, Copy)]
pub enum Value {
    /// Interpreter-internal: an unbound local, a missing entry, `LOAD_METHOD`'s marker.
    Null,
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Obj(Gc<Object>),
}

/// A heap object.
pub struct Object {
    pub cls: Mut<Value>,
    pub kind: Kind,
    /// Instance attributes (`__dict__`); module namespaces and class namespaces live here too.
    /// Instances of user classes start without it, in *shape mode* (below); see [`attr_map`].
    pub attrs: Mut<Option<GcMap<Str, Value>>>,
    /// Shape mode (hidden classes): the layout of the attributes, shared by every instance
    /// that got the same attributes in the same order, and their values by slot. Used while
    /// `attrs` is None; see `attrs.rs`.
    pub shape: Mut<Option<Gc<Shape>>>,
    pub slots: Mut<Option<GcArray<Value>>>,
    /// `id()`, assigned on first use (objects have no stable address under a moving GC).
    pub ident: Mut<i64>,
}

/// The built-in data of an object.
#[derive(Clone, Copy)]
pub enum Kind {
    /// An instance of a user class without built-in data (and `object()`).
    Plain,
    /// A str: UTF-8 bytes and the number of code points.
    Str(Str, i64),
    Long(Gc<BigInt>),
    Bytes(Str),
    ByteArray(GcList<u8>),
    Tuple(GcArray<Value>),
    List(GcList<Value>),
    Dict(Gc<Dict>),
    /// set and frozenset (the class tells which).
    Set(Gc<PySet>),
    Class(Gc<ClassData>),
    Function(Gc<Function>),
    /// A built-in function or, with a receiver, a built-in method bound to it.
    Builtin(i64, Value),
    /// A bound method: function and receiver.
    Method(Value, Value),
    Cell(Gc<Cell>),
    Module(Gc<Module>),
    Range(i64, i64, i64),
    /// A range whose bounds or length do not fit `i64` (see `bigrange.rs`): start, stop, step.
    BigRange(Value, Value, Value),
    Slice(Value, Value, Value),
    /// Iterators of built-in sequences and views (see `iter.rs`).
    Iter(Gc<IterState>),
    Generator(Gc<Frame>),
    Exception(Gc<ExcData>),
    /// property(fget, fset, fdel)
    Property(Value, Value, Value),
    StaticMethod(Value),
    ClassMethod(Value),
    /// super(cls, obj)
    Super(Value, Value),
    File(Gc<FileData>),
    Code(Gc<Code>),
    /// Singletons without data: NotImplemented, Ellipsis.
    Marker(i64),
}

/// An attribute layout (a "map" in PyPy, a hidden class in V8): attribute names in slot order.
/// Shapes form a tree from the empty shape: adding attribute `n` to an object of shape `s`
/// gives it shape `s.next[n]`, created once. A shape never changes once made (only its
/// transition cache grows), so the JIT folds `index_in(shape, name)` for a constant shape.
pub struct Shape {
    pub names: GcArray<Str>,
    /// Slot of each name.
    pub index: GcMap<Str, i64>,
    /// Transitions: the shape after adding a name.
    pub next: GcMap<Str, Gc<Shape>>,
}

/// A class.
pub struct ClassData {
    pub name: Mut<Str>,
    pub qualname: Mut<Str>,
    pub bases: Mut<GcArray<Value>>,
    /// Method resolution order, starting with the class itself.
    pub mro: Mut<GcArray<Value>>,
    pub dict: GcMap<Str, Value>,
    /// The type id of the built-in type whose instance layout this class uses (`T_OBJECT` for
    /// plain classes, `T_LIST` for subclasses of list, ...).
    pub builtin: i64,
    /// True for built-in classes (their attributes cannot be set).
    pub is_builtin: bool,
    /// Cached results of [`crate::types::lookup`] / `lookup_user` along the MRO (Null for
    /// absent), valid while `cache_epoch` equals the shared epoch.
    pub cache: GcMap<Str, Value>,
    pub cache_user: GcMap<Str, Value>,
    pub cache_epoch: Mut<i64>,
    /// Shared by all classes: bumped by every change to any class's dict.
    pub epoch: Gc<Epoch>,
}

/// The class-dict epoch (see [`ClassData::epoch`]).
pub struct Epoch {
    pub n: Mut<i64>,
}

pub struct Function {
    pub code: Gc<Code>,
    pub globals: GcMap<Str, Value>,
    pub name: Mut<Str>,
    pub qualname: Mut<Str>,
    pub defaults: Mut<GcArray<Value>>,
    /// Keyword-only defaults (a dict object) or Null.
    pub kwdefaults: Mut<Value>,
    /// Cells of the free variables, in `freevars` order.
    pub closure: GcArray<Value>,
    pub module: Value,
}

pub struct Cell {
    pub value: Mut<Value>,
}

pub struct Module {
    pub name: Str,
    pub file: Str,
}

/// A code object (see `docs/bytecode.md`).
pub struct Code {
    pub name: Str,
    pub qualname: Str,
    pub filename: Str,
    pub firstlineno: i64,
    pub argcount: i64,
    pub posonlyargcount: i64,
    pub kwonlyargcount: i64,
    pub flags: i64,
    pub varnames: GcArray<Str>,
    pub cellvars: GcArray<Str>,
    pub freevars: GcArray<Str>,
    pub names: GcArray<Str>,
    pub cell2arg: GcArray<i64>,
    pub consts: GcArray<Value>,
    pub ops: GcArray<i64>,
    pub args: GcArray<i64>,
    pub lines: GcArray<i64>,
    /// The maximum depth of the value stack (computed when decoding).
    pub stacksize: i64,
    /// An empty cell array shared by the frames of code without cells.
    pub no_cells: GcArray<Value>,
}

/// An activation of a code object. Generator frames outlive their first call.
///
/// Declared virtualizable (the JIT driver names it in `virtualizables`). In a loop's trace its
/// `sp` and the slots of `fast` stay in registers (`sp` is promoted, so slots are constant
/// indices: see docs/dsl.md, `virtualizable`).
#[vmkit::virtualizable]
pub struct Frame {
    pub code: Gc<Code>,
    pub globals: GcMap<Str, Value>,
    /// The local namespace of module and class bodies (None in functions).
    pub locals_map: Option<GcMap<Str, Value>>,
    /// The fast locals (the first `varnames.len()` slots) followed by the value stack (slots
    /// from there to `sp`), in one array as CPython's `localsplus`.
    pub fast: GcArray<Value>,
    /// Cell objects: cellvars then freevars.
    pub cells: GcArray<Value>,
    /// The value stack's top: the index in `fast` of the first free slot. At any instruction
    /// it is the same in every run (Python's compiler fixes the stack depth per instruction),
    /// so traces promote it: stack slots are then constant indices, which the trace optimizer
    /// keeps in registers around loops.
    pub sp: Mut<i64>,
    pub pc: Mut<i64>,
    /// Block stack, three words a block: kind, handler (or saved exception index), depth;
    /// created by the first `SETUP_FINALLY`/`SETUP_WITH` (most frames never need one).
    pub blocks: Mut<Option<GcList<i64>>>,
    /// Exceptions saved by EXCEPT_HANDLER blocks (created with `blocks`).
    pub saved_exc: Mut<Option<GcList<Value>>>,
    /// The exception being handled (`sys.exc_info()`), or Nil.
    pub exc: Mut<Value>,
    /// Index of the instruction being executed (for tracebacks).
    pub lasti: Mut<i64>,
    /// Generator state: 0 not started, 1 suspended, 2 running, 3 finished.
    pub gen_state: Mut<i64>,
    pub gen_name: Mut<Str>,
    pub gen_qualname: Mut<Str>,
}

pub struct ExcData {
    pub args: Mut<Value>,
    pub cause: Mut<Value>,
    pub context: Mut<Value>,
    pub suppress: Mut<bool>,
    /// Traceback entries, innermost first: (code object, line) pairs flattened.
    pub tb: GcList<Value>,
}

pub struct IterState {
    /// What is iterated (see `iter.rs` for the kinds).
    pub kind: i64,
    pub seq: Value,
    pub index: Mut<i64>,
    pub end: Mut<i64>,
    pub step: i64,
    /// A second value: the function of `map`/`filter`, the iterators of `zip`.
    pub extra: Value,
}

pub struct FileData {
    pub path: Str,
    pub mode: Str,
    pub data: Mut<Str>,
    pub pos: Mut<i64>,
    pub closed: Mut<bool>,
    pub binary: bool,
    pub writable: bool,
    /// 0 regular file, 1 stdout, 2 stderr, 3 stdin.
    pub std: i64,
}

/// An insertion-ordered dictionary keyed by Python values (CPython's compact layout: an index
/// table into dense entry lists; deleted entries keep a `Null` key).
///
/// A dict may instead be a live view of a string-keyed namespace (`map`: an object's attributes
/// for `obj.__dict__`/`vars(obj)`, a module's globals for `globals()`); then the other fields are
/// unused, reads and writes go to the map, and storing a non-str key raises TypeError (see
/// `dict.rs`). Code outside `dict.rs` reads the fields only through its functions.
pub struct Dict {
    /// The namespace this dict is a view of (set at creation).
    pub map: Option<GcMap<Str, Value>>,
    pub keys: Mut<GcList<Value>>,
    pub values: Mut<GcList<Value>>,
    pub hashes: Mut<GcList<i64>>,
    /// Open-addressing table of entry indexes; -1 is a free slot.
    pub index: Mut<GcArray<i64>>,
    pub used: Mut<i64>,
}

/// A set: CPython's open-addressing table, iterated in table order (which is what CPython
/// prints, e.g. `{1, 2, 3}` for `{3, 1, 2}`).
pub struct PySet {
    /// Keys by slot; `Null` = never used, a dummy marker object = deleted.
    pub table: Mut<GcArray<Value>>,
    pub hashes: Mut<GcArray<i64>>,
    pub fill: Mut<i64>,
    pub used: Mut<i64>,
}

/// Interpreter-wide state.
pub struct Vm {
    /// Built-in classes by type id (`T_*`).
    pub types: GcArray<Value>,
    /// The shape of an instance without attributes (see [`Shape`]).
    pub empty_shape: Gc<Shape>,
    pub builtins: GcMap<Str, Value>,
    /// `sys.modules`.
    pub modules: GcMap<Str, Value>,
    pub depth: Mut<i64>,
    pub recursion_limit: Mut<i64>,
    /// Directory of the main script (for imports), with a trailing '/' or empty.
    pub script_dir: Str,
    pub argv: Mut<Value>,
    pub none_str: Str,
    /// Interned single-character strings for code points below 128.
    pub chars: GcArray<Value>,
    pub empty_tuple: Value,
    pub not_implemented: Value,
    pub ellipsis: Value,
    /// The deleted-entry marker of sets.
    pub dummy: Value,
    pub sys: Mut<Value>,
    /// Interned attribute names used by the interpreter itself.
    pub names: GcArray<Str>,
    /// Mersenne Twister state of the `random` module: 624 words + index.
    pub mt: GcArray<u64>,
    pub mt_index: Mut<i64>,
    pub stdin_buf: Mut<Str>,
    pub stdin_pos: Mut<i64>,
    pub stdin_loaded: Mut<bool>,
    pub main_file: Str,
    /// The next `id()` to hand out.
    pub next_id: Mut<i64>,
    /// `sys.set_int_max_str_digits` (0: no limit).
    pub int_max_str_digits: Mut<i64>,
    /// `sys.modules` as the dict programs see.
    pub sys_modules: Value,
    /// Identifier strings of decoded code objects (names, variable names) and the builtins'
    /// names, each kept once: equal names are the same `Str`, so namespace lookups find them by
    /// pointer before comparing bytes.
    pub interned: GcMap<Str, Str>,
    /// Containers whose repr is being computed (to print `[...]` for cycles).
    pub repr_active: GcList<Value>,
    /// An empty keyword-name array (calls without keywords).
    pub no_names: GcArray<Str>,
    /// Python functions behind C callbacks (`_ffi.callback`), indexed by callback id.
    pub ffi_callbacks: GcList<Value>,
    /// The payload of the next NaN made by `float()` (see [`same`]).
    pub nan_counter: Mut<i64>,
}

impl Value {
    pub fn is_null(self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn is_nil(self) -> bool {
        matches!(self, Value::Nil)
    }
}

/// Identity of two values (`is`).
///
/// Floats are immediate, so the identity of two floats is their bit pattern: `x = 1.5; x is x`
/// holds, as in CPython. NaNs matter most here: containers compare by identity first (`nan in
/// [nan]`, `[nan] == [nan]` are True), while two NaNs made separately are distinct objects in
/// CPython (`[float("nan")] == [float("nan")]` is False). So every NaN that `float()` parses gets
/// its own payload in the mantissa (a counter, [`new_nan`]): arithmetic and comparisons ignore
/// payloads (a result keeps an operand's, so `nan + 1 is nan` holds, unlike CPython), and two
/// NaNs are identical exactly when their bits are. (The exception: equal non-NaN floats, e.g.
/// `0.0` and `-0.0`, are identical here; nothing observes the difference cheaply.)
pub fn same(a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => {
            x == y || (x != x && y != y && py_float_bits(x) == py_float_bits(y))
        }
        (Value::Obj(x), Value::Obj(y)) => Gc::ptr_eq(x, y),
        _ => false,
    }
}

pub fn new_obj(cls: Value, kind: Kind) -> Value {
    Value::Obj(Gc::new(Object {
        cls: Mut::new(cls),
        kind,
        attrs: Mut::new(None),
        shape: Mut::new(None),
        slots: Mut::new(None),
        ident: Mut::new(0),
    }))
}

pub fn new_obj_with_attrs(cls: Value, kind: Kind) -> Value {
    Value::Obj(Gc::new(Object {
        cls: Mut::new(cls),
        kind,
        attrs: Mut::new(Some(GcMap::new())),
        shape: Mut::new(None),
        slots: Mut::new(None),
        ident: Mut::new(0),
    }))
}

/// A plain instance of a user class, in shape mode with no attributes yet.
pub fn new_instance(vm: Gc<Vm>, cls: Value) -> Value {
    Value::Obj(Gc::new(Object {
        cls: Mut::new(cls),
        kind: Kind::Plain,
        attrs: Mut::new(None),
        shape: Mut::new(Some(vm.empty_shape)),
        slots: Mut::new(None),
        ident: Mut::new(0),
    }))
}

/// An empty shape (the root of a shape tree).
pub fn new_empty_shape() -> Gc<Shape> {
    Gc::new(Shape {
        names: GcArray::new(0, Str::from("")),
        index: GcMap::new(),
        next: GcMap::new(),
    })
}

/// The slot of `name` in `shape`, or -1. Shapes never change, so this folds in traces.
#[vmkit::elidable]
pub fn index_in(shape: Gc<Shape>, name: Str) -> i64 {
    match shape.index.get(name) {
        Some(i) => i,
        None => -1,
    }
}

/// The shape after adding `name` to an object of shape `shape` (made once, then cached).
#[vmkit::elidable]
pub fn shape_with(shape: Gc<Shape>, name: Str) -> Gc<Shape> {
    if let Some(n) = shape.next.get(name) {
        return n;
    }
    let k = shape.names.len();
    let names = GcArray::new(k + 1, name);
    let index: GcMap<Str, i64> = GcMap::new();
    for i in 0..k {
        names.set(i, shape.names.get(i));
        index.insert(shape.names.get(i), i as i64);
    }
    index.insert(name, k as i64);
    let n = Gc::new(Shape {
        names,
        index,
        next: GcMap::new(),
    });
    shape.next.insert(name, n);
    n
}

/// Whether the object can hold instance attributes (shape mode or an attribute map).
pub fn has_attr_storage(ob: Gc<Object>) -> bool {
    ob.shape.get().is_some() || ob.attrs.get().is_some()
}

/// The instance attribute `name` of `ob`, if it has one.
pub fn attr_get(ob: Gc<Object>, name: Str) -> Option<Value> {
    if let Some(shape) = ob.shape.get() {
        let i = index_in(shape, name);
        if i < 0 {
            return None;
        }
        return match ob.slots.get() {
            Some(a) => Some(a.get(i as usize)),
            None => None,
        };
    }
    match ob.attrs.get() {
        Some(m) => m.get(name),
        None => None,
    }
}

/// Sets the instance attribute `name` of `ob`; false when `ob` holds no attributes.
pub fn attr_set(ob: Gc<Object>, name: Str, v: Value) {
    if let Some(shape) = ob.shape.get() {
        let i = index_in(shape, name);
        if i >= 0 {
            if let Some(a) = ob.slots.get() {
                a.set(i as usize, v);
            }
            return;
        }
        let next = shape_with(shape, name);
        let k = shape.names.len();
        let a = match ob.slots.get() {
            Some(a) if k < a.len() => a,
            old => {
                // Grow: room for a few more attributes than now.
                let a = GcArray::new(k + 1 + (k + 1) / 2 + 2, Value::Null);
                if let Some(o) = old {
                    for j in 0..k {
                        a.set(j, o.get(j));
                    }
                }
                ob.slots.set(Some(a));
                a
            }
        };
        a.set(k, v);
        ob.shape.set(Some(next));
        return;
    }
    if let Some(m) = ob.attrs.get() {
        m.insert(name, v);
    }
}

/// The attribute map of `ob` (None if it has no instance attributes). An object in shape mode
/// leaves it for good: its attributes move into a new map, which the caller may keep (a
/// `__dict__` view) and change.
pub fn attr_map(ob: Gc<Object>) -> Option<GcMap<Str, Value>> {
    if let Some(shape) = ob.shape.get() {
        let m: GcMap<Str, Value> = GcMap::new();
        if let Some(a) = ob.slots.get() {
            for i in 0..shape.names.len() {
                m.insert(shape.names.get(i), a.get(i));
            }
        }
        ob.attrs.set(Some(m));
        ob.shape.set(None);
        ob.slots.set(None);
        return Some(m);
    }
    ob.attrs.get()
}

/// Replaces the instance attributes of `ob` by the map `m` (`obj.__dict__ = d`).
pub fn set_attr_map(ob: Gc<Object>, m: GcMap<Str, Value>) {
    ob.shape.set(None);
    ob.slots.set(None);
    ob.attrs.set(Some(m));
}

/// The bits of a float (to tell NaNs apart, see [`same`]).
#[vmkit::host]
pub fn py_float_bits(x: f64) -> u64 {
    x.to_bits()
}

/// A quiet NaN with payload `n` (the low 51 bits) and the sign of `neg`.
#[vmkit::host]
pub fn py_nan_with_payload(n: u64, neg: bool) -> f64 {
    let sign: u64 = if neg { 1 << 63 } else { 0 };
    f64::from_bits(sign | 0x7ff8_0000_0000_0000 | (n & 0x0007_ffff_ffff_ffff))
}

/// A NaN distinct (for `is`) from every NaN made before (see [`same`]).
pub fn new_nan(vm: Gc<Vm>, neg: bool) -> f64 {
    let n = vm.nan_counter.get() + 1;
    vm.nan_counter.set(n & 0x0007_ffff_ffff_ffff);
    py_nan_with_payload(n as u64, neg)
}
