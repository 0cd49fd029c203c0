//! A Brainfuck VM written in the vmkit DSL: the toolkit's first client.
//!
//! # The machine
//!
//! - The program is read from the file named by the first argument. Only the eight command bytes
//!   `+ - < > . , [ ]` are kept; every other byte is a comment.
//! - Brackets are matched once, before running: an unmatched `[` or `]` is reported on standard
//!   error (with its line and column) and the VM exits with status 2 without running anything.
//! - The tape has 30000 cells of `u8`, all 0 at start, and the head starts on cell 0. `+` and `-`
//!   wrap around (255 + 1 = 0, 0 - 1 = 255). The tape does not grow: moving left of cell 0 or right
//!   of cell 29999 is a fatal error (exit status 101, message on standard error).
//! - `.` writes the current cell as one byte to standard output. `,` reads one byte from standard
//!   input into the current cell; at end of input the cell is left unchanged. Standard output is
//!   flushed before each read so that prompts appear.
//! - Exit statuses: 0 success, 1 usage error or unreadable file, 2 unmatched bracket, 101 fatal
//!   error (tape overrun).
//!
//! The VM interprets the raw program, one command at a time: there is no pre-pass that folds runs
//! of `+` or `>` or recognises idioms such as `[-]`. Speed is meant to come from the toolkit's JIT.
//!
//! # JIT hints
//!
//! - `DRIVER`: the greens are `pc` (index of the current command) and `program` (the parsed
//!   program): together they are the position in the user program, constant in a trace. The reds
//!   are `tape` (the cell array) and `pos` (the head position): everything else the dispatch loop
//!   carries. [`location`] prints a green position as `pc=12 op=+` for JIT logs.
//! - `jit_merge_point!` is the first statement of the dispatch loop in [`interpret`], the portal.
//! - `can_enter_jit!` sits where `]` jumps backwards, with the state of the next iteration (`pc`
//!   already just after the matching `[`): hotness is counted per user-program loop.
//! - The commands are kept in a `Str` (immutable) in an immutable field of `Program`: with
//!   constant greens, the fetch `program.code.byte_at(pc)` reads a constant immutable object and
//!   can fold. The bracket table is a `GcArray`, whose elements are mutable as far as the JIT knows,
//!   so its lookup goes through [`matching_bracket`], marked `#[vmkit::elidable]`: with constant
//!   arguments the call folds to a constant.

use vmkit::io;
use vmkit::{Gc, GcArray, GcList, JitDriver, Str, StrBuilder};

/// Number of cells of the tape.
const TAPE_SIZE: usize = 30000;

/// A parsed program: the command bytes and, for each bracket, the index of its partner.
pub struct Program {
    /// The program's commands, comments removed: only `+ - < > . , [ ]`.
    code: Str,
    /// `brackets.get(i)` is the index of the bracket matching the one at `i` (0 for other
    /// commands).
    brackets: GcArray<usize>,
}

static DRIVER: JitDriver = JitDriver {
    name: "bf",
    greens: &["pc", "program"],
    reds: &["tape", "pos"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

/// The printable form of a green position, for JIT logs: `pc=12 op=+` (`op=end` past the end).
pub fn location(pc: usize, program: Gc<Program>) -> Str {
    let text = Str::from("pc=").concat(Str::from_i64(pc as i64));
    if pc < program.code.len() {
        text.concat(Str::from(" op="))
            .concat(Str::from_byte(program.code.byte_at(pc)))
    } else {
        text.concat(Str::from(" op=end"))
    }
}

/// Index of the bracket matching the one at `pc`. Pure: the table never changes after parsing.
#[vmkit::elidable]
pub fn matching_bracket(program: Gc<Program>, pc: usize) -> usize {
    program.brackets.get(pc)
}

/// Whether `byte` is one of the eight Brainfuck commands.
fn is_command(byte: u8) -> bool {
    matches!(byte, b'+' | b'-' | b'<' | b'>' | b'.' | b',' | b'[' | b']')
}

/// `line L, column C` (both from 1) of the byte at `offset` in `source`.
fn source_position(source: Str, offset: usize) -> Str {
    let mut line: i64 = 1;
    let mut column: i64 = 1;
    let mut i: usize = 0;
    while i < offset {
        if source.byte_at(i) == b'\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
        i += 1;
    }
    Str::from("line ")
        .concat(Str::from_i64(line))
        .concat(Str::from(", column "))
        .concat(Str::from_i64(column))
}

/// Parses `source`: keeps the commands and matches the brackets. `Err` carries a message naming
/// the first unmatched bracket.
pub fn parse(source: Str) -> Result<Gc<Program>, Str> {
    let builder = StrBuilder::new();
    let mut i: usize = 0;
    while i < source.len() {
        let byte = source.byte_at(i);
        if is_command(byte) {
            builder.push_byte(byte);
        }
        i += 1;
    }
    let code = builder.build();
    let brackets: GcArray<usize> = GcArray::new(code.len(), 0);
    // Open brackets not matched yet: their command index and their byte offset in `source`.
    let open_pcs: GcList<usize> = GcList::new();
    let open_offsets: GcList<usize> = GcList::new();
    let mut pc: usize = 0;
    let mut offset: usize = 0;
    while offset < source.len() {
        let byte = source.byte_at(offset);
        if byte == b'[' {
            open_pcs.push(pc);
            open_offsets.push(offset);
        } else if byte == b']' {
            match open_pcs.pop() {
                Some(open) => {
                    open_offsets.pop();
                    brackets.set(open, pc);
                    brackets.set(pc, open);
                }
                None => {
                    return Err(
                        Str::from("unmatched ']' at ").concat(source_position(source, offset))
                    );
                }
            }
        }
        if is_command(byte) {
            pc += 1;
        }
        offset += 1;
    }
    if !open_offsets.is_empty() {
        let first = open_offsets.get(0);
        return Err(Str::from("unmatched '[' at ").concat(source_position(source, first)));
    }
    Ok(Gc::new(Program { code, brackets }))
}

/// Runs `program` on a fresh tape. This is the portal: the dispatch loop carries exactly the
/// driver's greens (`pc`, `program`) and reds (`tape`, `pos`).
pub fn interpret(program: Gc<Program>) {
    let tape: GcArray<u8> = GcArray::new(TAPE_SIZE, 0);
    let mut pos: usize = 0;
    let mut pc: usize = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, program; tape, pos);
        if pc >= program.code.len() {
            break;
        }
        match program.code.byte_at(pc) {
            b'+' => tape.set(pos, tape.get(pos).wrapping_add(1)),
            b'-' => tape.set(pos, tape.get(pos).wrapping_sub(1)),
            b'>' => {
                if pos + 1 >= TAPE_SIZE {
                    panic!("moved right of the last tape cell (29999)");
                }
                pos += 1;
            }
            b'<' => {
                if pos == 0 {
                    panic!("moved left of the first tape cell (0)");
                }
                pos -= 1;
            }
            b'.' => io::write_byte(tape.get(pos)),
            b',' => {
                io::flush();
                let byte = io::read_byte();
                if byte >= 0 {
                    tape.set(pos, byte as u8);
                }
            }
            b'[' if tape.get(pos) == 0 => {
                // Skip the loop: continue after the matching `]`.
                pc = matching_bracket(program, pc);
            }
            b']' if tape.get(pos) != 0 => {
                // Backward jump: continue just after the matching `[`.
                pc = matching_bracket(program, pc) + 1;
                vmkit::can_enter_jit!(DRIVER; pc, program; tape, pos);
                continue;
            }
            // Also `[` on a non-zero cell and `]` on a zero cell: fall through.
            _ => {}
        }
        pc += 1;
    }
}

/// `bf PROGRAM.b`: runs the Brainfuck program in the file `PROGRAM.b`.
#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    if args.len() != 1 {
        io::eprint(Str::from("usage: bf PROGRAM.b\n"));
        return 1;
    }
    let path = args.get(0);
    let source = match io::read_file(path) {
        Some(text) => text,
        None => {
            io::eprint(
                Str::from("bf: cannot read ")
                    .concat(path)
                    .concat(Str::from("\n")),
            );
            return 1;
        }
    };
    let program = match parse(source) {
        Ok(program) => program,
        Err(message) => {
            io::eprint(
                Str::from("bf: ")
                    .concat(path)
                    .concat(Str::from(": "))
                    .concat(message)
                    .concat(Str::from("\n")),
            );
            return 2;
        }
    };
    interpret(program);
    0
}
