//! Built-in classes: their ids, creation at start-up, `type(x)`, attribute lookup along the MRO
//! and C3 linearisation for user classes.

use crate::object::*;
use vmkit::{Gc, GcArray, GcList, GcMap, Mut, Str};

pub const T_OBJECT: i64 = 0;
pub const T_TYPE: i64 = 1;
pub const T_INT: i64 = 2;
pub const T_BOOL: i64 = 3;
pub const T_FLOAT: i64 = 4;
pub const T_STR: i64 = 5;
pub const T_LIST: i64 = 6;
pub const T_TUPLE: i64 = 7;
pub const T_DICT: i64 = 8;
pub const T_SET: i64 = 9;
pub const T_FROZENSET: i64 = 10;
pub const T_NONE: i64 = 11;
pub const T_FUNCTION: i64 = 12;
pub const T_BUILTIN: i64 = 13;
pub const T_METHOD: i64 = 14;
pub const T_RANGE: i64 = 15;
pub const T_SLICE: i64 = 16;
pub const T_ITER: i64 = 17;
pub const T_GENERATOR: i64 = 18;
pub const T_MODULE: i64 = 19;
pub const T_CELL: i64 = 20;
pub const T_PROPERTY: i64 = 21;
pub const T_STATICMETHOD: i64 = 22;
pub const T_CLASSMETHOD: i64 = 23;
pub const T_SUPER: i64 = 24;
pub const T_BYTES: i64 = 25;
pub const T_BYTEARRAY: i64 = 26;
pub const T_NOTIMPL: i64 = 27;
pub const T_ELLIPSIS: i64 = 28;
pub const T_FILE: i64 = 29;
pub const T_CODE: i64 = 30;
pub const T_DICT_KEYS: i64 = 31;
pub const T_DICT_VALUES: i64 = 32;
pub const T_DICT_ITEMS: i64 = 33;
pub const T_MAP: i64 = 34;
pub const T_FILTER: i64 = 35;
pub const T_ZIP: i64 = 36;
pub const T_ENUMERATE: i64 = 37;
pub const T_REVERSED: i64 = 38;
pub const T_LIST_ITER: i64 = 39;
pub const T_TUPLE_ITER: i64 = 40;
pub const T_STR_ITER: i64 = 41;
pub const T_RANGE_ITER: i64 = 42;
pub const T_DICT_KEYITER: i64 = 43;
pub const T_SET_ITER: i64 = 44;
pub const T_DICT_VALUEITER: i64 = 45;
pub const T_DICT_ITEMITER: i64 = 46;
pub const T_BYTES_ITER: i64 = 47;
pub const T_CALLITER: i64 = 48;
pub const T_SEQ_ITER: i64 = 49;
/// Exceptions.
pub const T_BASE_EXCEPTION: i64 = 50;
pub const T_EXCEPTION: i64 = 51;
pub const T_TYPE_ERROR: i64 = 52;
pub const T_VALUE_ERROR: i64 = 53;
pub const T_KEY_ERROR: i64 = 54;
pub const T_INDEX_ERROR: i64 = 55;
pub const T_LOOKUP_ERROR: i64 = 56;
pub const T_ARITHMETIC_ERROR: i64 = 57;
pub const T_ZERO_DIVISION_ERROR: i64 = 58;
pub const T_OVERFLOW_ERROR: i64 = 59;
pub const T_ATTRIBUTE_ERROR: i64 = 60;
pub const T_NAME_ERROR: i64 = 61;
pub const T_UNBOUND_LOCAL_ERROR: i64 = 62;
pub const T_RUNTIME_ERROR: i64 = 63;
pub const T_RECURSION_ERROR: i64 = 64;
pub const T_NOT_IMPLEMENTED_ERROR: i64 = 65;
pub const T_STOP_ITERATION: i64 = 66;
pub const T_ASSERTION_ERROR: i64 = 67;
pub const T_IMPORT_ERROR: i64 = 68;
pub const T_MODULE_NOT_FOUND_ERROR: i64 = 69;
pub const T_SYSTEM_EXIT: i64 = 70;
pub const T_KEYBOARD_INTERRUPT: i64 = 71;
pub const T_GENERATOR_EXIT: i64 = 72;
pub const T_OS_ERROR: i64 = 73;
pub const T_FILE_NOT_FOUND_ERROR: i64 = 74;
pub const T_EOF_ERROR: i64 = 75;
pub const T_UNICODE_ERROR: i64 = 76;
pub const T_UNICODE_DECODE_ERROR: i64 = 77;
pub const T_UNICODE_ENCODE_ERROR: i64 = 78;
pub const T_MEMORY_ERROR: i64 = 79;
pub const T_SYNTAX_ERROR: i64 = 80;
pub const T_FLOATING_POINT_ERROR: i64 = 81;
pub const T_STOP_ASYNC_ITERATION: i64 = 82;
pub const T_IS_A_DIRECTORY_ERROR: i64 = 83;
pub const T_PERMISSION_ERROR: i64 = 84;
pub const T_WARNING: i64 = 85;
pub const T_INDENTATION_ERROR: i64 = 86;
pub const T_FILE_EXISTS_ERROR: i64 = 87;
pub const T_BUFFER_ERROR: i64 = 88;
pub const T_UNSUPPORTED_OPERATION: i64 = 89;
pub const NTYPES: i64 = 90;

/// A built-in class: `(id, name, base id or -1)`, in an order where bases come first.
fn builtin_class_spec(i: i64) -> (Str, i64) {
    match i {
        T_OBJECT => (Str::from("object"), -1),
        T_TYPE => (Str::from("type"), T_OBJECT),
        T_INT => (Str::from("int"), T_OBJECT),
        T_BOOL => (Str::from("bool"), T_INT),
        T_FLOAT => (Str::from("float"), T_OBJECT),
        T_STR => (Str::from("str"), T_OBJECT),
        T_LIST => (Str::from("list"), T_OBJECT),
        T_TUPLE => (Str::from("tuple"), T_OBJECT),
        T_DICT => (Str::from("dict"), T_OBJECT),
        T_SET => (Str::from("set"), T_OBJECT),
        T_FROZENSET => (Str::from("frozenset"), T_OBJECT),
        T_NONE => (Str::from("NoneType"), T_OBJECT),
        T_FUNCTION => (Str::from("function"), T_OBJECT),
        T_BUILTIN => (Str::from("builtin_function_or_method"), T_OBJECT),
        T_METHOD => (Str::from("method"), T_OBJECT),
        T_RANGE => (Str::from("range"), T_OBJECT),
        T_SLICE => (Str::from("slice"), T_OBJECT),
        T_ITER => (Str::from("iterator"), T_OBJECT),
        T_GENERATOR => (Str::from("generator"), T_OBJECT),
        T_MODULE => (Str::from("module"), T_OBJECT),
        T_CELL => (Str::from("cell"), T_OBJECT),
        T_PROPERTY => (Str::from("property"), T_OBJECT),
        T_STATICMETHOD => (Str::from("staticmethod"), T_OBJECT),
        T_CLASSMETHOD => (Str::from("classmethod"), T_OBJECT),
        T_SUPER => (Str::from("super"), T_OBJECT),
        T_BYTES => (Str::from("bytes"), T_OBJECT),
        T_BYTEARRAY => (Str::from("bytearray"), T_OBJECT),
        T_NOTIMPL => (Str::from("NotImplementedType"), T_OBJECT),
        T_ELLIPSIS => (Str::from("ellipsis"), T_OBJECT),
        T_FILE => (Str::from("TextIOWrapper"), T_OBJECT),
        T_CODE => (Str::from("code"), T_OBJECT),
        T_DICT_KEYS => (Str::from("dict_keys"), T_OBJECT),
        T_DICT_VALUES => (Str::from("dict_values"), T_OBJECT),
        T_DICT_ITEMS => (Str::from("dict_items"), T_OBJECT),
        T_MAP => (Str::from("map"), T_OBJECT),
        T_FILTER => (Str::from("filter"), T_OBJECT),
        T_ZIP => (Str::from("zip"), T_OBJECT),
        T_ENUMERATE => (Str::from("enumerate"), T_OBJECT),
        T_REVERSED => (Str::from("reversed"), T_OBJECT),
        T_LIST_ITER => (Str::from("list_iterator"), T_OBJECT),
        T_TUPLE_ITER => (Str::from("tuple_iterator"), T_OBJECT),
        T_STR_ITER => (Str::from("str_ascii_iterator"), T_OBJECT),
        T_RANGE_ITER => (Str::from("range_iterator"), T_OBJECT),
        T_DICT_KEYITER => (Str::from("dict_keyiterator"), T_OBJECT),
        T_SET_ITER => (Str::from("set_iterator"), T_OBJECT),
        T_DICT_VALUEITER => (Str::from("dict_valueiterator"), T_OBJECT),
        T_DICT_ITEMITER => (Str::from("dict_itemiterator"), T_OBJECT),
        T_BYTES_ITER => (Str::from("bytes_iterator"), T_OBJECT),
        T_CALLITER => (Str::from("callable_iterator"), T_OBJECT),
        T_SEQ_ITER => (Str::from("iterator"), T_OBJECT),
        T_BASE_EXCEPTION => (Str::from("BaseException"), T_OBJECT),
        T_EXCEPTION => (Str::from("Exception"), T_BASE_EXCEPTION),
        T_TYPE_ERROR => (Str::from("TypeError"), T_EXCEPTION),
        T_VALUE_ERROR => (Str::from("ValueError"), T_EXCEPTION),
        T_LOOKUP_ERROR => (Str::from("LookupError"), T_EXCEPTION),
        T_KEY_ERROR => (Str::from("KeyError"), T_LOOKUP_ERROR),
        T_INDEX_ERROR => (Str::from("IndexError"), T_LOOKUP_ERROR),
        T_ARITHMETIC_ERROR => (Str::from("ArithmeticError"), T_EXCEPTION),
        T_ZERO_DIVISION_ERROR => (Str::from("ZeroDivisionError"), T_ARITHMETIC_ERROR),
        T_OVERFLOW_ERROR => (Str::from("OverflowError"), T_ARITHMETIC_ERROR),
        T_FLOATING_POINT_ERROR => (Str::from("FloatingPointError"), T_ARITHMETIC_ERROR),
        T_ATTRIBUTE_ERROR => (Str::from("AttributeError"), T_EXCEPTION),
        T_NAME_ERROR => (Str::from("NameError"), T_EXCEPTION),
        T_UNBOUND_LOCAL_ERROR => (Str::from("UnboundLocalError"), T_NAME_ERROR),
        T_RUNTIME_ERROR => (Str::from("RuntimeError"), T_EXCEPTION),
        T_RECURSION_ERROR => (Str::from("RecursionError"), T_RUNTIME_ERROR),
        T_NOT_IMPLEMENTED_ERROR => (Str::from("NotImplementedError"), T_RUNTIME_ERROR),
        T_STOP_ITERATION => (Str::from("StopIteration"), T_EXCEPTION),
        T_STOP_ASYNC_ITERATION => (Str::from("StopAsyncIteration"), T_EXCEPTION),
        T_ASSERTION_ERROR => (Str::from("AssertionError"), T_EXCEPTION),
        T_IMPORT_ERROR => (Str::from("ImportError"), T_EXCEPTION),
        T_MODULE_NOT_FOUND_ERROR => (Str::from("ModuleNotFoundError"), T_IMPORT_ERROR),
        T_SYSTEM_EXIT => (Str::from("SystemExit"), T_BASE_EXCEPTION),
        T_KEYBOARD_INTERRUPT => (Str::from("KeyboardInterrupt"), T_BASE_EXCEPTION),
        T_GENERATOR_EXIT => (Str::from("GeneratorExit"), T_BASE_EXCEPTION),
        T_OS_ERROR => (Str::from("OSError"), T_EXCEPTION),
        T_FILE_NOT_FOUND_ERROR => (Str::from("FileNotFoundError"), T_OS_ERROR),
        T_IS_A_DIRECTORY_ERROR => (Str::from("IsADirectoryError"), T_OS_ERROR),
        T_PERMISSION_ERROR => (Str::from("PermissionError"), T_OS_ERROR),
        T_FILE_EXISTS_ERROR => (Str::from("FileExistsError"), T_OS_ERROR),
        T_EOF_ERROR => (Str::from("EOFError"), T_EXCEPTION),
        T_UNICODE_ERROR => (Str::from("UnicodeError"), T_VALUE_ERROR),
        T_UNICODE_DECODE_ERROR => (Str::from("UnicodeDecodeError"), T_UNICODE_ERROR),
        T_UNICODE_ENCODE_ERROR => (Str::from("UnicodeEncodeError"), T_UNICODE_ERROR),
        T_MEMORY_ERROR => (Str::from("MemoryError"), T_EXCEPTION),
        T_SYNTAX_ERROR => (Str::from("SyntaxError"), T_EXCEPTION),
        T_INDENTATION_ERROR => (Str::from("IndentationError"), T_SYNTAX_ERROR),
        T_WARNING => (Str::from("Warning"), T_EXCEPTION),
        T_BUFFER_ERROR => (Str::from("BufferError"), T_EXCEPTION),
        T_UNSUPPORTED_OPERATION => (Str::from("UnsupportedOperation"), T_OS_ERROR),
        _ => (Str::from("?"), T_OBJECT),
    }
}

/// Creates the built-in classes (without their methods, see `builtins::install`).
pub fn make_types() -> GcArray<Value> {
    let types: GcArray<Value> = GcArray::new(NTYPES as usize, Value::Null);
    let epoch = Gc::new(Epoch { n: Mut::new(1) });
    // Pass 1: the class objects (bases may come later in the id order: two passes).
    for i in 0..NTYPES {
        let (name, _) = builtin_class_spec(i);
        let builtin = if i >= T_BASE_EXCEPTION {
            T_BASE_EXCEPTION
        } else {
            i
        };
        let data = Gc::new(ClassData {
            name: Mut::new(name),
            qualname: Mut::new(name),
            bases: Mut::new(GcArray::new(0, Value::Null)),
            mro: Mut::new(GcArray::new(0, Value::Null)),
            dict: GcMap::new(),
            builtin,
            is_builtin: true,
            cache: GcMap::new(),
            cache_user: GcMap::new(),
            cache_epoch: Mut::new(0),
            epoch,
        });
        types.set(i as usize, new_obj(Value::Null, Kind::Class(data)));
    }
    let type_cls = types.get(T_TYPE as usize);
    for i in 0..NTYPES {
        let c = types.get(i as usize);
        if let Value::Obj(o) = c {
            o.cls.set(type_cls);
        }
        let (_, base) = builtin_class_spec(i);
        let data = class_data(c);
        if base >= 0 {
            let bases = GcArray::new(1, types.get(base as usize));
            data.bases.set(bases);
        }
    }
    // MROs: a built-in class's MRO is itself followed by its base's MRO.
    for i in 0..NTYPES {
        set_builtin_mro(types, i);
    }
    types
}

fn set_builtin_mro(types: GcArray<Value>, i: i64) {
    let c = types.get(i as usize);
    let data = class_data(c);
    if data.mro.get().len() > 0 {
        return;
    }
    let (_, base) = builtin_class_spec(i);
    if base < 0 {
        data.mro.set(GcArray::new(1, c));
        return;
    }
    set_builtin_mro(types, base);
    let bm = class_data(types.get(base as usize)).mro.get();
    let mro = GcArray::new(bm.len() + 1, c);
    for k in 0..bm.len() {
        mro.set(k + 1, bm.get(k));
    }
    data.mro.set(mro);
}

/// The class data of a class object (which must be a class).
pub fn class_data(c: Value) -> Gc<ClassData> {
    if let Value::Obj(o) = c {
        if let Kind::Class(d) = o.kind {
            return d;
        }
    }
    panic!("not a class")
}

pub fn as_class(c: Value) -> Option<Gc<ClassData>> {
    if let Value::Obj(o) = c {
        if let Kind::Class(d) = o.kind {
            return Some(d);
        }
    }
    None
}

pub fn ty(vm: Gc<Vm>, id: i64) -> Value {
    vm.types.get(id as usize)
}

/// `type(v)`.
pub fn class_of(vm: Gc<Vm>, v: Value) -> Value {
    match v {
        Value::Null => ty(vm, T_NONE),
        Value::Nil => ty(vm, T_NONE),
        Value::Bool(_) => ty(vm, T_BOOL),
        Value::Int(_) => ty(vm, T_INT),
        Value::Float(_) => ty(vm, T_FLOAT),
        Value::Obj(o) => o.cls.get(),
    }
}

/// The `__name__` of `v`'s class.
pub fn type_name(vm: Gc<Vm>, v: Value) -> Str {
    class_data(class_of(vm, v)).name.get()
}

/// Looks `name` up along the MRO of class `cls`; Null when absent.
pub fn lookup(cls: Value, name: Str) -> Value {
    let cd = class_data(cls);
    check_cache(cd);
    if let Some(v) = cd.cache.get(name) {
        return v;
    }
    let mro = cd.mro.get();
    let mut found = Value::Null;
    for i in 0..mro.len() {
        let d = class_data(mro.get(i));
        if let Some(v) = d.dict.get(name) {
            found = v;
            break;
        }
    }
    cd.cache.insert(name, found);
    found
}

/// Empties the class's lookup caches when any class dict changed since they were filled.
fn check_cache(cd: Gc<ClassData>) {
    let e = cd.epoch.n.get();
    if cd.cache_epoch.get() != e {
        cd.cache.clear();
        cd.cache_user.clear();
        cd.cache_epoch.set(e);
    }
}

/// Records a change to a class dict: every class's lookup cache becomes stale.
pub fn class_dict_changed(cd: Gc<ClassData>) {
    cd.epoch.n.set(cd.epoch.n.get() + 1);
}

/// Like [`lookup`] but only in user-defined classes of the MRO (special methods defined in
/// Python code override the built-in behaviour; built-in classes have none in their dicts).
pub fn lookup_user(cls: Value, name: Str) -> Value {
    let cd = class_data(cls);
    if cd.is_builtin {
        // Built-in classes define no special methods in Python.
        return Value::Null;
    }
    check_cache(cd);
    if let Some(v) = cd.cache_user.get(name) {
        return v;
    }
    let mro = cd.mro.get();
    let mut found = Value::Null;
    for i in 0..mro.len() {
        let d = class_data(mro.get(i));
        if d.is_builtin {
            continue;
        }
        if let Some(v) = d.dict.get(name) {
            found = v;
            break;
        }
    }
    cd.cache_user.insert(name, found);
    found
}

/// Does the class have any user-defined class in its MRO?
pub fn is_user_class(cls: Value) -> bool {
    !class_data(cls).is_builtin
}

/// `issubclass(a, b)` for classes.
pub fn is_subclass(a: Value, b: Value) -> bool {
    let mro = class_data(a).mro.get();
    for i in 0..mro.len() {
        if same(mro.get(i), b) {
            return true;
        }
    }
    false
}

pub fn is_instance_id(vm: Gc<Vm>, v: Value, id: i64) -> bool {
    is_subclass(class_of(vm, v), ty(vm, id))
}

/// The C3 linearisation of a new class with `bases`; None when there is no consistent order.
pub fn c3_mro(cls: Value, bases: GcArray<Value>) -> Option<GcArray<Value>> {
    // Sequences to merge: the MRO of each base, then the list of bases.
    let seqs: GcList<GcList<Value>> = GcList::new();
    for i in 0..bases.len() {
        let m = class_data(bases.get(i)).mro.get();
        let l: GcList<Value> = GcList::new();
        for k in 0..m.len() {
            l.push(m.get(k));
        }
        seqs.push(l);
    }
    let bl: GcList<Value> = GcList::new();
    for i in 0..bases.len() {
        bl.push(bases.get(i));
    }
    seqs.push(bl);
    let out: GcList<Value> = GcList::new();
    out.push(cls);
    loop {
        let mut nonempty = false;
        for i in 0..seqs.len() {
            if seqs.get(i).len() > 0 {
                nonempty = true;
            }
        }
        if !nonempty {
            break;
        }
        // Find a head that is in no tail.
        let mut found = Value::Null;
        for i in 0..seqs.len() {
            let s = seqs.get(i);
            if s.len() == 0 {
                continue;
            }
            let head = s.get(0);
            let mut in_tail = false;
            for j in 0..seqs.len() {
                let t = seqs.get(j);
                for k in 1..t.len() {
                    if same(t.get(k), head) {
                        in_tail = true;
                    }
                }
            }
            if !in_tail {
                found = head;
                break;
            }
        }
        if found.is_null() {
            return None;
        }
        out.push(found);
        for i in 0..seqs.len() {
            let s = seqs.get(i);
            if s.len() > 0 && same(s.get(0), found) {
                s.remove(0);
            }
        }
    }
    let arr = GcArray::new(out.len(), Value::Null);
    for i in 0..out.len() {
        arr.set(i, out.get(i));
    }
    Some(arr)
}

/// The built-in layout a new class with these bases gets (the most derived built-in base).
pub fn layout_of_bases(bases: GcArray<Value>) -> i64 {
    let mut layout = T_OBJECT;
    for i in 0..bases.len() {
        let b = class_data(bases.get(i)).builtin;
        if b != T_OBJECT {
            layout = b;
        }
    }
    layout
}

/// Creates a user class.
pub fn new_class(
    vm: Gc<Vm>,
    meta: Value,
    name: Str,
    qualname: Str,
    bases: GcArray<Value>,
    dict: GcMap<Str, Value>,
) -> Option<Value> {
    let _ = vm;
    let data = Gc::new(ClassData {
        name: Mut::new(name),
        qualname: Mut::new(qualname),
        bases: Mut::new(bases),
        mro: Mut::new(GcArray::new(0, Value::Null)),
        dict,
        builtin: layout_of_bases(bases),
        is_builtin: false,
        cache: GcMap::new(),
        cache_user: GcMap::new(),
        cache_epoch: Mut::new(0),
        epoch: class_data(ty(vm, T_OBJECT)).epoch,
    });
    let cls = new_obj(meta, Kind::Class(data));
    match c3_mro(cls, bases) {
        Some(m) => {
            data.mro.set(m);
            Some(cls)
        }
        None => None,
    }
}
