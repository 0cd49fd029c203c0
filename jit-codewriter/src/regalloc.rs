//! Register allocation: low-level variables → registers of three banks (int, ref, float).
//!
//! Blocks are laid out in reverse post-order; a backward dataflow gives each block's live-in and
//! live-out sets; each variable's interval is the hull of its definition, its uses and the
//! block boundaries where it is live. A linear scan then gives every variable the lowest free
//! register of its bank. More than 256 simultaneously live variables in one bank is an error
//! (RPython's limit too). [`verify`] checks an allocation against the graph's liveness (the
//! tests run it on every function of the corpus).

use crate::{Bank, Reg};
use std::collections::BTreeSet;
use vmkit_translator::flow::{Exit, LlGraph, LlTy, Var};

pub fn bank_of(t: LlTy) -> Bank {
    match t {
        LlTy::Bool | LlTy::Int(_) => Bank::Int,
        LlTy::Ref => Bank::Ref,
        LlTy::F64 => Bank::Float,
    }
}

pub struct Allocation {
    /// Register of each variable (`None`: never defined or used).
    pub regs: Vec<Option<Reg>>,
    /// Blocks in layout order.
    pub order: Vec<usize>,
    pub live_out: Vec<BTreeSet<Var>>,
    pub num_regs: [u16; 3],
}

impl Allocation {
    pub fn reg(&self, v: Var) -> Reg {
        self.regs[v.0 as usize].expect("allocated variable")
    }
}

/// Variables a block's exit uses (conditions, returned values, link arguments).
pub fn exit_uses(e: &Exit) -> Vec<Var> {
    e.uses()
}

/// Live-out sets of every block.
pub fn liveness(g: &LlGraph) -> Vec<BTreeSet<Var>> {
    g.live_out()
}

pub fn allocate(g: &LlGraph) -> Result<Allocation, String> {
    let order = vmkit_translator::lower::reverse_postorder(g);
    let live_out = liveness(g);
    let nv = g.var_types.len();
    let mut start = vec![u32::MAX; nv];
    let mut end = vec![0u32; nv];
    let touch = |v: Var, p: u32, start: &mut Vec<u32>, end: &mut Vec<u32>| {
        let i = v.0 as usize;
        start[i] = start[i].min(p);
        end[i] = end[i].max(p);
    };
    let mut pos = 0u32;
    // live-in sets, recomputed from live-out, for block-start points
    for &b in &order {
        let block = &g.blocks[b];
        let block_start = pos;
        for p in &block.params {
            touch(*p, block_start, &mut start, &mut end);
        }
        pos += 1;
        for ins in &block.ops {
            for a in &ins.args {
                touch(*a, pos, &mut start, &mut end);
            }
            for r in &ins.results {
                touch(*r, pos, &mut start, &mut end);
            }
            pos += 1;
        }
        for u in exit_uses(&block.exit) {
            touch(u, pos, &mut start, &mut end);
        }
        for v in &live_out[b] {
            touch(*v, pos, &mut start, &mut end);
        }
        // everything live out of the block and defined before it is live through it
        for v in &live_out[b] {
            touch(*v, block_start, &mut start, &mut end);
        }
        pos += 1;
    }
    let mut vars: Vec<usize> = (0..nv).filter(|i| start[*i] != u32::MAX).collect();
    // Loops: a variable live around a back edge must stay live over the whole loop, which the
    // hull of its positions over the RPO layout already guarantees (block-end points of the
    // back edge's source and block-start points of the header are both included).
    vars.sort_by_key(|i| (start[*i], *i));
    let mut regs: Vec<Option<Reg>> = vec![None; nv];
    let mut active: Vec<(u32, usize)> = Vec::new(); // (end, var)
    let mut free: [BTreeSet<u16>; 3] = [BTreeSet::new(), BTreeSet::new(), BTreeSet::new()];
    let mut next = [0u16; 3];
    let bidx = |b: Bank| match b {
        Bank::Int => 0,
        Bank::Ref => 1,
        Bank::Float => 2,
    };
    for v in vars {
        let s = start[v];
        active.retain(|(e, av)| {
            if *e < s {
                let r = regs[*av].expect("active has a register");
                free[bidx(r.bank)].insert(r.index as u16);
                false
            } else {
                true
            }
        });
        let bank = bank_of(g.var_types[v]);
        let k = bidx(bank);
        let index = match free[k].iter().next().copied() {
            Some(r) => {
                free[k].remove(&r);
                r
            }
            None => {
                let r = next[k];
                next[k] += 1;
                r
            }
        };
        if index > 255 {
            return Err(format!(
                "`{}`: more than 256 live {:?} registers",
                g.name, bank
            ));
        }
        regs[v] = Some(Reg {
            bank,
            index: index as u8,
        });
        active.push((end[v], v));
    }
    Ok(Allocation {
        regs,
        order,
        live_out,
        num_regs: next,
    })
}

/// Checks an allocation against the liveness of `g`: no write of a register (an instruction
/// result, a block parameter assigned by a link, a function parameter) may clobber another
/// variable live at that point, and no instruction whose encoding writes its results one by one
/// (`Copy`, `promote`) may overwrite an argument it has yet to read. Returns the first conflict.
pub fn verify(g: &LlGraph, a: &Allocation) -> Result<(), String> {
    use vmkit_translator::flow::LlOp;
    use vmkit_translator::thir::Builtin;
    let n = g.blocks.len();
    let reg = |v: Var| -> Result<Reg, String> {
        a.regs
            .get(v.0 as usize)
            .copied()
            .flatten()
            .ok_or_else(|| format!("`{}`: v{} has no register", g.name, v.0))
    };
    // live-in sets (params excluded) from the live-out sets
    let mut live_in: Vec<BTreeSet<Var>> = vec![BTreeSet::new(); n];
    for &b in &a.order {
        let block = &g.blocks[b];
        let mut live = a.live_out[b].clone();
        live.extend(exit_uses(&block.exit));
        for ins in block.ops.iter().rev() {
            for r in &ins.results {
                live.remove(r);
            }
            live.extend(ins.args.iter().copied());
        }
        for p in &block.params {
            live.remove(p);
        }
        live_in[b] = live;
    }
    let clash = |what: &str, d: Var, live: &mut dyn Iterator<Item = &Var>| -> Result<(), String> {
        let rd = reg(d)?;
        for v in live {
            if *v != d && reg(*v)? == rd {
                return Err(format!(
                    "`{}`: {what} v{} overwrites v{} (both in {:?}{})",
                    g.name, d.0, v.0, rd.bank, rd.index
                ));
            }
        }
        Ok(())
    };
    // function parameters: written together on entry
    for p in g.params() {
        let mut live = live_in[0].iter().chain(g.params());
        clash("parameter", *p, &mut live)?;
    }
    for &b in &a.order {
        let block = &g.blocks[b];
        // link moves write the target's parameters; the target's other live-in values survive
        for l in LlGraph::successors(block) {
            let t = l.target.0 as usize;
            for p in &g.blocks[t].params {
                let mut live = live_in[t].iter().chain(&g.blocks[t].params);
                clash("block parameter", *p, &mut live)?;
            }
        }
        let mut live = a.live_out[b].clone();
        live.extend(exit_uses(&block.exit));
        for ins in block.ops.iter().rev() {
            for r in &ins.results {
                let mut others = live.iter().chain(&ins.results);
                clash("result", *r, &mut others)?;
            }
            let sequential = matches!(ins.op, LlOp::Copy | LlOp::Builtin(Builtin::Promote, _));
            if sequential {
                for (k, r) in ins.results.iter().enumerate() {
                    let mut later = ins.args[k + 1..].iter();
                    clash("copy", *r, &mut later)?;
                }
            }
            for r in &ins.results {
                live.remove(r);
            }
            live.extend(ins.args.iter().copied());
        }
    }
    Ok(())
}
