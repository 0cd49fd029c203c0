//! Calls: binding arguments to parameters (with CPython's error messages), calling functions,
//! bound methods, built-ins and classes (`__new__`/`__init__`), and generator creation.

use crate::exc::*;
use crate::interp;
use crate::object::*;
use crate::opcode::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, GcArray, GcList, Str};

/// Nesting depth beyond which calls raise RecursionError whatever `sys.setrecursionlimit` says:
/// each Python call takes a few native frames (about 5 KiB translated) of the 256 MiB stack, and
/// running out of native stack would be a fatal error instead of a Python exception (untranslated
/// debug builds use several times more stack per call; 10000 leaves them a margin).
pub const MAX_DEPTH: i64 = 10000;

pub fn recursion_error(vm: Gc<Vm>) -> Value {
    new_exc(
        vm,
        T_RECURSION_ERROR,
        Str::from("maximum recursion depth exceeded"),
    )
}

/// Calls `f` with `args`; the last `names.len()` arguments are keyword arguments.
pub fn call(
    vm: Gc<Vm>,
    f: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    if let Value::Obj(o) = f {
        match o.kind {
            Kind::Function(func) => return call_function(vm, func, args, names),
            Kind::Method(func, selfv) => {
                let all = GcArray::new(args.len() + 1, selfv);
                for i in 0..args.len() {
                    all.set(i + 1, args.get(i));
                }
                return call(vm, func, all, names);
            }
            Kind::Builtin(id, selfv) => {
                return crate::builtins::call_builtin(vm, id, selfv, args, names);
            }
            Kind::Class(_) => return call_class(vm, f, args, names),
            _ => {}
        }
    }
    let m = ops::special_method(vm, f, Str::from("__call__"))?;
    if !m.is_null() {
        return call(vm, m, args, names);
    }
    type_error(
        vm,
        Str::from("'")
            .concat(type_name(vm, f))
            .concat(Str::from("' object is not callable")),
    )
}

pub fn call0(vm: Gc<Vm>, f: Value) -> Result<Value, Value> {
    call(vm, f, GcArray::new(0, Value::Nil), vm.no_names)
}

pub fn call1(vm: Gc<Vm>, f: Value, a: Value) -> Result<Value, Value> {
    call(vm, f, GcArray::new(1, a), vm.no_names)
}

pub fn call2(vm: Gc<Vm>, f: Value, a: Value, b: Value) -> Result<Value, Value> {
    let args = GcArray::new(2, a);
    args.set(1, b);
    call(vm, f, args, vm.no_names)
}

/// `f(*args, **kwargs)`.
pub fn call_ex(vm: Gc<Vm>, f: Value, args: Value, kw: Value) -> Result<Value, Value> {
    let pos = ops::to_list(vm, args)?;
    let mut nkw: usize = 0;
    let kd = if kw.is_null() {
        None
    } else {
        Some(crate::dict::dict_of(kw))
    };
    if let Some(d) = kd {
        nkw = d.used.get() as usize;
    }
    let all = GcArray::new(pos.len() + nkw, Value::Nil);
    for i in 0..pos.len() {
        all.set(i, pos.get(i));
    }
    let names = GcArray::new(nkw, Str::from(""));
    if let Some(d) = kd {
        let keys = d.keys.get();
        let values = d.values.get();
        let mut k: usize = 0;
        for i in 0..keys.len() {
            let key = keys.get(i);
            if key.is_null() {
                continue;
            }
            match strs::as_str(key) {
                Some(s) => names.set(k, s),
                None => {
                    return type_error(vm, Str::from("keywords must be strings"));
                }
            }
            all.set(pos.len() + k, values.get(i));
            k += 1;
        }
    }
    call(vm, f, all, names)
}

fn fname(func: Gc<Function>) -> Str {
    func.qualname.get().concat(Str::from("()"))
}

fn plural(n: i64, one: Str, many: Str) -> Str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// "'a', 'b' and 'c'"
fn name_list(names: GcList<Str>) -> Str {
    let b = vmkit::StrBuilder::new();
    let n = names.len();
    for i in 0..n {
        if i > 0 {
            if i == n - 1 {
                if n > 2 {
                    b.push_str(Str::from(","));
                }
                b.push_str(Str::from(" and "));
            } else {
                b.push_str(Str::from(", "));
            }
        }
        b.push_str(Str::from("'"));
        b.push_str(names.get(i));
        b.push_str(Str::from("'"));
    }
    b.build()
}

/// Binds the arguments of a call into a new frame for `func`.
fn bind(
    vm: Gc<Vm>,
    func: Gc<Function>,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Gc<Frame>, Value> {
    let code = func.code;
    let frame = interp::new_frame(code, func.globals, None);
    let fast = frame.fast;
    let argcount = code.argcount;
    let kwonly = code.kwonlyargcount;
    let nkw = names.len() as i64;
    let npos = args.len() as i64 - nkw;
    let has_varargs = code.flags & CO_VARARGS != 0;
    let has_varkw = code.flags & CO_VARKEYWORDS != 0;
    let nfixed = argcount + kwonly;
    // Positional parameters.
    let ncopy = if npos < argcount { npos } else { argcount };
    for i in 0..ncopy {
        fast.set(i as usize, args.get(i as usize));
    }
    if has_varargs {
        let extra = if npos > argcount { npos - argcount } else { 0 };
        let t = GcArray::new(extra as usize, Value::Nil);
        for i in 0..extra {
            t.set(i as usize, args.get((argcount + i) as usize));
        }
        fast.set(nfixed as usize, ops::new_tuple(vm, t));
    } else if npos > argcount {
        let ndef = func.defaults.get().len() as i64;
        let given = npos;
        let mut kwgiven: i64 = 0;
        for k in 0..nkw {
            let nm = names.get(k as usize);
            for j in argcount..nfixed {
                if code.varnames.get(j as usize) == nm {
                    kwgiven += 1;
                }
            }
        }
        let takes = if ndef > 0 {
            Str::from("from ")
                .concat(Str::from_i64(argcount - ndef))
                .concat(Str::from(" to "))
                .concat(Str::from_i64(argcount))
        } else {
            Str::from_i64(argcount)
        };
        let mut msg = fname(func)
            .concat(Str::from(" takes "))
            .concat(takes)
            .concat(Str::from(" positional "))
            .concat(plural(
                if ndef > 0 { 2 } else { argcount },
                Str::from("argument"),
                Str::from("arguments"),
            ))
            .concat(Str::from(" but "))
            .concat(Str::from_i64(given));
        if kwgiven > 0 {
            msg = msg
                .concat(Str::from(" positional "))
                .concat(plural(given, Str::from("argument"), Str::from("arguments")))
                .concat(Str::from(" (and "))
                .concat(Str::from_i64(kwgiven))
                .concat(Str::from(" keyword-only "))
                .concat(plural(
                    kwgiven,
                    Str::from("argument"),
                    Str::from("arguments"),
                ))
                .concat(Str::from(") were given"));
        } else {
            msg = msg.concat(plural(
                given,
                Str::from(" was given"),
                Str::from(" were given"),
            ));
        }
        return Err(new_exc(vm, T_TYPE_ERROR, msg));
    }
    // Keyword arguments.
    let kwdict = if has_varkw {
        let d = crate::dict::new_dict(vm);
        let idx = nfixed + if has_varargs { 1 } else { 0 };
        fast.set(idx as usize, d);
        d
    } else {
        Value::Null
    };
    for k in 0..nkw {
        let nm = names.get(k as usize);
        let v = args.get((npos + k) as usize);
        let mut found = -1;
        let mut j = code.posonlyargcount;
        while j < nfixed {
            if code.varnames.get(j as usize) == nm {
                found = j;
                break;
            }
            j += 1;
        }
        if found < 0 {
            if has_varkw {
                crate::dict::setitem(vm, kwdict, strs::new_str(vm, nm), v)?;
                continue;
            }
            // A positional-only parameter passed by keyword.
            let mut posonly = false;
            for j in 0..code.posonlyargcount {
                if code.varnames.get(j as usize) == nm {
                    posonly = true;
                }
            }
            if posonly {
                return Err(new_exc(
                    vm,
                    T_TYPE_ERROR,
                    fname(func)
                        .concat(Str::from(
                            " got some positional-only arguments passed as keyword arguments: '",
                        ))
                        .concat(nm)
                        .concat(Str::from("'")),
                ));
            }
            return Err(new_exc(
                vm,
                T_TYPE_ERROR,
                fname(func)
                    .concat(Str::from(" got an unexpected keyword argument '"))
                    .concat(nm)
                    .concat(Str::from("'")),
            ));
        }
        if !fast.get(found as usize).is_null() {
            return Err(new_exc(
                vm,
                T_TYPE_ERROR,
                fname(func)
                    .concat(Str::from(" got multiple values for argument '"))
                    .concat(nm)
                    .concat(Str::from("'")),
            ));
        }
        fast.set(found as usize, v);
    }
    // Defaults and missing arguments.
    let defaults = func.defaults.get();
    let ndef = defaults.len() as i64;
    let missing: GcList<Str> = GcList::new();
    for i in 0..argcount {
        if fast.get(i as usize).is_null() {
            let di = i - (argcount - ndef);
            if di >= 0 {
                fast.set(i as usize, defaults.get(di as usize));
            } else {
                missing.push(code.varnames.get(i as usize));
            }
        }
    }
    if missing.len() > 0 {
        let n = missing.len() as i64;
        return Err(new_exc(
            vm,
            T_TYPE_ERROR,
            fname(func)
                .concat(Str::from(" missing "))
                .concat(Str::from_i64(n))
                .concat(Str::from(" required positional "))
                .concat(plural(n, Str::from("argument"), Str::from("arguments")))
                .concat(Str::from(": "))
                .concat(name_list(missing)),
        ));
    }
    for i in argcount..nfixed {
        if fast.get(i as usize).is_null() {
            let nm = code.varnames.get(i as usize);
            let kwd = func.kwdefaults.get();
            let mut dv = Value::Null;
            if !kwd.is_null() {
                dv = crate::dict::get_str(kwd, nm);
            }
            if dv.is_null() {
                missing.push(nm);
            } else {
                fast.set(i as usize, dv);
            }
        }
    }
    if missing.len() > 0 {
        let n = missing.len() as i64;
        return Err(new_exc(
            vm,
            T_TYPE_ERROR,
            fname(func)
                .concat(Str::from(" missing "))
                .concat(Str::from_i64(n))
                .concat(Str::from(" required keyword-only "))
                .concat(plural(n, Str::from("argument"), Str::from("arguments")))
                .concat(Str::from(": "))
                .concat(name_list(missing)),
        ));
    }
    // Cells.
    let ncell = code.cellvars.len();
    for i in 0..ncell {
        let a = code.cell2arg.get(i);
        let init = if a >= 0 {
            fast.get(a as usize)
        } else {
            Value::Null
        };
        frame.cells.set(i, ops::new_cell(vm, init));
    }
    for i in 0..func.closure.len() {
        frame.cells.set(ncell + i, func.closure.get(i));
    }
    Ok(frame)
}

pub fn call_function(
    vm: Gc<Vm>,
    func: Gc<Function>,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let frame = bind(vm, func, args, names)?;
    if func.code.flags & CO_GENERATOR != 0 {
        frame.gen_name.set(func.name.get());
        frame.gen_qualname.set(func.qualname.get());
        return Ok(new_obj(ty(vm, T_GENERATOR), Kind::Generator(frame)));
    }
    run_function_frame(vm, frame)
}

/// Whether a call of `func` with `n` positional arguments and no keywords binds each argument
/// to the parameter of the same index and nothing else (no defaults, `*args`, `**kwargs`,
/// keyword-only parameters or cells): then [`frame_from_stack`] can bind it.
pub fn is_simple_call(func: Gc<Function>, n: i64) -> bool {
    let code = func.code;
    code.flags & (CO_VARARGS | CO_VARKEYWORDS | CO_GENERATOR) == 0
        && code.argcount == n
        && code.kwonlyargcount == 0
        && code.cellvars.len() == 0
}

/// The frame of a simple call (see [`is_simple_call`]) whose `n` arguments are the top of
/// `caller`'s value stack (the arguments are left there).
pub fn frame_from_stack(func: Gc<Function>, caller: Gc<Frame>, n: usize) -> Gc<Frame> {
    let frame = interp::new_frame(func.code, func.globals, None);
    let base = caller.sp.get() as usize - n;
    for i in 0..n {
        frame.fast.set(i, caller.fast.get(base + i));
    }
    for i in 0..func.closure.len() {
        frame.cells.set(i, func.closure.get(i));
    }
    frame
}

/// Like [`frame_from_stack`] for a method: `selfv` is the first argument, then the `n` values
/// on top of `caller`'s stack.
pub fn frame_from_stack_self(
    func: Gc<Function>,
    selfv: Value,
    caller: Gc<Frame>,
    n: usize,
) -> Gc<Frame> {
    let frame = interp::new_frame(func.code, func.globals, None);
    frame.fast.set(0, selfv);
    let base = caller.sp.get() as usize - n;
    for i in 0..n {
        frame.fast.set(i + 1, caller.fast.get(base + i));
    }
    for i in 0..func.closure.len() {
        frame.cells.set(i, func.closure.get(i));
    }
    frame
}

/// Runs a bound function frame (not a generator) with the recursion limit.
pub fn run_function_frame(vm: Gc<Vm>, frame: Gc<Frame>) -> Result<Value, Value> {
    let depth = vm.depth.get();
    if depth >= vm.recursion_limit.get() || depth >= MAX_DEPTH {
        return Err(recursion_error(vm));
    }
    vm.depth.set(depth + 1);
    let r = interp::run_frame(vm, frame);
    vm.depth.set(depth);
    r
}

/// Calls a class: `type(x)`, built-in constructors, or `__new__` + `__init__` of user classes.
fn call_class(
    vm: Gc<Vm>,
    cls: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let cd = class_data(cls);
    // A metaclass's __call__ is not supported; type(...) with one or three arguments is.
    if same(cls, ty(vm, T_TYPE)) {
        return crate::builtins::call_type(vm, args, names);
    }
    let new = lookup_user(cls, Str::from("__new__"));
    let obj = if !new.is_null() {
        let f = unwrap_static(new);
        let all = GcArray::new(args.len() + 1, cls);
        for i in 0..args.len() {
            all.set(i + 1, args.get(i));
        }
        call(vm, f, all, names)?
    } else if cd.builtin == T_OBJECT {
        if same(cls, ty(vm, T_OBJECT)) {
            if args.len() > 0 {
                return type_error(vm, Str::from("object() takes no arguments"));
            }
            return Ok(new_obj(cls, Kind::Plain));
        }
        let init = lookup_user(cls, Str::from("__init__"));
        if init.is_null() && args.len() > 0 {
            return type_error(vm, cd.name.get().concat(Str::from("() takes no arguments")));
        }
        new_instance(vm, cls)
    } else if (cd.builtin == T_LIST
        || cd.builtin == T_DICT
        || cd.builtin == T_SET
        || cd.builtin == T_BYTEARRAY)
        && !lookup_user(cls, Str::from("__init__")).is_null()
    {
        // Mutable containers are filled by their __init__, not by __new__ (CPython's
        // list.__new__ ignores its arguments): a subclass's own __init__ decides what they get.
        crate::builtins::construct(
            vm,
            cd.builtin,
            cls,
            GcArray::new(0, Value::Nil),
            vm.no_names,
        )?
    } else {
        crate::builtins::construct(vm, cd.builtin, cls, args, names)?
    };
    // __init__ runs only when __new__ returned an instance of cls.
    if !is_subclass(class_of(vm, obj), cls) {
        return Ok(obj);
    }
    let init = lookup_user(cls, Str::from("__init__"));
    if !init.is_null() {
        let all = GcArray::new(args.len() + 1, obj);
        for i in 0..args.len() {
            all.set(i + 1, args.get(i));
        }
        let r = call(vm, init, all, names)?;
        if !r.is_nil() {
            return type_error(
                vm,
                Str::from("__init__() should return None, not '")
                    .concat(type_name(vm, r))
                    .concat(Str::from("'")),
            );
        }
    } else if cd.builtin == T_BASE_EXCEPTION && !new.is_null() {
        // Exception subclasses with a custom __new__ keep the constructor's arguments.
        if let Some(d) = exc_data(obj) {
            let t = GcArray::new(args.len() - names.len(), Value::Nil);
            for i in 0..t.len() {
                t.set(i, args.get(i));
            }
            d.args.set(ops::new_tuple(vm, t));
        }
    }
    Ok(obj)
}

fn unwrap_static(f: Value) -> Value {
    if let Value::Obj(o) = f {
        if let Kind::StaticMethod(g) = o.kind {
            return g;
        }
    }
    f
}

/// The object `raise e` raises: an instance, or a class instantiated without arguments.
pub fn make_exception(vm: Gc<Vm>, e: Value) -> Result<Value, Value> {
    if as_class(e).is_some() {
        if is_subclass(e, ty(vm, T_BASE_EXCEPTION)) {
            let inst = call(vm, e, GcArray::new(0, Value::Nil), vm.no_names)?;
            return Ok(inst);
        }
    } else if exc_data(e).is_some() {
        return Ok(e);
    }
    type_error(vm, Str::from("exceptions must derive from BaseException"))
}

pub fn make_cause(vm: Gc<Vm>, c: Value) -> Result<Value, Value> {
    if as_class(c).is_some() {
        if is_subclass(c, ty(vm, T_BASE_EXCEPTION)) {
            return call(vm, c, GcArray::new(0, Value::Nil), vm.no_names);
        }
    } else if exc_data(c).is_some() {
        return Ok(c);
    }
    type_error(
        vm,
        Str::from("exception causes must derive from BaseException"),
    )
}
