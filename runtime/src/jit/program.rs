//! The jitcode program embedded in the translated binary, loaded once.
//!
//! The AOT object defines `vmkit_jit_program` (+ `_len`): the postcard-serialized
//! [`vmkit_jit_ir::jitcode::Program`]; `vmkit_jit_helpers` (+ `vmkit_jit_nhelpers`): the helper
//! functions; `vmkit_jit_triple`: the target triple (the trace backend's ISA). `main` hands them
//! to [`install`]; [`loaded`] deserializes on first use.

use crate::global::Global;
use crate::object::Obj;
use vmkit_jit_ir::jitcode::{Insn, Program, Reg};

/// What the translated binary provides.
#[derive(Clone, Copy)]
pub struct Image {
    pub program: &'static [u8],
    pub helpers: &'static [usize],
    pub triple: &'static str,
}

/// The decoded program and what the interpreter needs at hand.
pub struct Loaded {
    pub prog: Program,
    pub helpers: &'static [usize],
    /// Jitcode string constants as (permanently rooted) `Str` objects.
    pub strs: Vec<*mut Obj>,
    pub portal_code: u16,
    pub merge_pc: u32,
    pub merge_regs: Vec<Reg>,
    pub ngreens: usize,
    pub triple: &'static str,
}

static IMAGE: Global<Option<Image>> = Global::new(None);
static LOADED: Global<Option<&'static Loaded>> = Global::new(None);

/// Registers the binary's JIT image (no decoding yet).
pub fn install(img: Image) {
    // SAFETY: mutator thread, before the program runs.
    unsafe {
        *IMAGE.ptr() = Some(img);
        *LOADED.ptr() = None;
    }
}

/// Whether the binary has a JIT (a portal).
pub fn has_image() -> bool {
    // SAFETY: mutator thread.
    unsafe { (*IMAGE.ptr()).is_some_and(|i| !i.program.is_empty()) }
}

/// Decodes the image, or `Err` with why the JIT cannot run.
pub fn load() -> Result<&'static Loaded, String> {
    // SAFETY: mutator thread.
    unsafe {
        if let Some(l) = *LOADED.ptr() {
            return Ok(l);
        }
        let img = (*IMAGE.ptr()).ok_or("no JIT image")?;
        let prog = Program::from_bytes(img.program)?;
        let portal = prog.portal.clone().ok_or("the interpreter has no portal")?;
        let jc = prog
            .jitcodes
            .get(portal.jitcode as usize)
            .ok_or("bad portal jitcode")?;
        let (merge_pc, merge_regs) = jc
            .insns
            .iter()
            .enumerate()
            .find_map(|(i, ins)| match ins {
                Insn::JitMergePoint(_, regs) => Some((i as u32, regs.clone())),
                _ => None,
            })
            .ok_or("the portal has no merge point")?;
        let mut strs = Vec::with_capacity(prog.strs.len());
        for s in &prog.strs {
            let o = crate::str::new_str_from(s);
            crate::roots::add_permanent_root(o);
            strs.push(o);
        }
        let l: &'static Loaded = Box::leak(Box::new(Loaded {
            ngreens: portal.ngreens as usize,
            prog,
            helpers: img.helpers,
            strs,
            portal_code: portal.jitcode,
            merge_pc,
            merge_regs,
            triple: img.triple,
        }));
        *LOADED.ptr() = Some(l);
        Ok(l)
    }
}

/// The loaded program (the JIT must be running).
pub fn loaded() -> &'static Loaded {
    match load() {
        Ok(l) => l,
        Err(e) => crate::fatal::fatal(&format!("JIT: {e}")),
    }
}
