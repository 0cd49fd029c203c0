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

fn bank_letter(b: u8) -> char {
    match b {
        0 => 'i',
        1 => 'r',
        _ => 'f',
    }
}

/// Decodes a jitcode; errors if it does not decode exactly to its end.
pub fn disassemble(p: &JitProgram, jc: &JitCode) -> Result<Vec<Decoded>, String> {
    let code = &jc.code;
    let mut pc = 0;
    let mut out = Vec::new();
    let take = |pc: &mut usize, n: usize| -> Result<&[u8], String> {
        let s = code
            .get(*pc..*pc + n)
            .ok_or_else(|| format!("{}: truncated at {}", jc.name, *pc))?;
        *pc += n;
        Ok(s)
    };
    while pc < code.len() {
        let start = pc;
        let opcode = take(&mut pc, 1)?[0];
        let full = p
            .opnames
            .get(opcode as usize)
            .ok_or_else(|| format!("{}: bad opcode {opcode} at {start}", jc.name))?;
        let (name, kinds) = full.split_once('/').ok_or("opname without kinds")?;
        let mut operands = Vec::new();
        for k in kinds.chars() {
            match k {
                'i' | 'r' | 'f' => operands.push(format!("%{k}{}", take(&mut pc, 1)?[0])),
                'c' => {
                    let b = take(&mut pc, 2)?;
                    operands.push(format!("${}", u16::from_le_bytes([b[0], b[1]])));
                }
                'd' => {
                    let b = take(&mut pc, 2)?;
                    operands.push(format!("<{}>", u16::from_le_bytes([b[0], b[1]])));
                }
                'L' => {
                    let b = take(&mut pc, 4)?;
                    let target = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
                    if target > code.len() {
                        return Err(format!("{}: jump out of the code at {start}", jc.name));
                    }
                    operands.push(format!("L{target}"));
                }
                '*' => {
                    let n = take(&mut pc, 1)?[0] as usize;
                    let mut regs = Vec::new();
                    for _ in 0..n {
                        let b = take(&mut pc, 2)?;
                        regs.push(format!("%{}{}", bank_letter(b[0]), b[1]));
                    }
                    operands.push(format!("[{}]", regs.join(", ")));
                }
                '>' => operands.push("->".into()),
                other => return Err(format!("unknown operand kind {other}")),
            }
        }
        out.push(Decoded {
            pc: start,
            name: name.to_string(),
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
