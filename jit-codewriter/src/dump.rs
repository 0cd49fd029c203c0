//! Readable forms of a [`JitProgram`]: a disassembler (also used by the tests to check that
//! every jitcode decodes exactly) and the RON dump behind `vmkit translate --dump jitcodes`.

use crate::{JitCode, JitProgram};

/// One decoded instruction: its offset, the operation name and its operands as text.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub pc: usize,
    pub name: String,
    pub operands: Vec<String>,
}

fn bank_letter(b: crate::Bank) -> char {
    match b {
        crate::Bank::Int => 'i',
        crate::Bank::Ref => 'r',
        crate::Bank::Float => 'f',
    }
}

/// Decodes a jitcode; errors if it does not decode exactly to its end.
pub fn disassemble(p: &JitProgram, jc: &JitCode) -> Result<Vec<Decoded>, String> {
    use crate::assemble::Operand;
    let insns =
        crate::assemble::decode(&jc.code, &p.opnames).map_err(|e| format!("{}: {e}", jc.name))?;
    let reg = |r: &crate::Reg| format!("%{}{}", bank_letter(r.bank), r.index);
    let mut out = Vec::with_capacity(insns.len());
    for ins in insns {
        let mut operands = Vec::new();
        let text = |o: &Operand| -> Result<String, String> {
            Ok(match o {
                Operand::Reg(r) => reg(r),
                Operand::Const(c) => format!("${c}"),
                Operand::Descr(d) => format!("<{d}>"),
                Operand::Label(l) => {
                    if *l as usize > jc.code.len() {
                        return Err(format!(
                            "{}: jump out of the code at {}",
                            jc.name, ins.offset
                        ));
                    }
                    format!("L{l}")
                }
                Operand::List(rs) => {
                    format!("[{}]", rs.iter().map(reg).collect::<Vec<_>>().join(", "))
                }
            })
        };
        for o in &ins.args {
            operands.push(text(o)?);
        }
        if ins.arrow {
            operands.push("->".into());
        }
        for o in &ins.results {
            operands.push(text(o)?);
        }
        out.push(Decoded {
            pc: ins.offset,
            name: ins.name.to_string(),
            operands,
        });
    }
    Ok(out)
}

/// The text disassembly of every jitcode.
pub fn text(p: &JitProgram) -> String {
    let mut s = String::new();
    for (i, jc) in p.jitcodes.iter().enumerate() {
        s.push_str(&format!(
            "jitcode #{i} {} (params {:?}, regs i/r/f {:?})\n",
            jc.name,
            jc.params
                .iter()
                .map(|r| format!("{:?}{}", r.bank, r.index))
                .collect::<Vec<_>>(),
            jc.num_regs
        ));
        match disassemble(p, jc) {
            Ok(ins) => {
                for d in ins {
                    s.push_str(&format!(
                        "  {:5}  {} {}\n",
                        d.pc,
                        d.name,
                        d.operands.join(" ")
                    ));
                }
            }
            Err(e) => s.push_str(&format!("  <cannot decode: {e}>\n")),
        }
    }
    s
}

/// The whole program as RON.
pub fn ron(p: &JitProgram) -> String {
    ron::ser::to_string_pretty(p, ron::ser::PrettyConfig::default())
        .unwrap_or_else(|e| format!("/* cannot serialise: {e} */"))
}
