#!/usr/bin/env python3
"""Reference Brainfuck interpreter, to cross-check the vmkit BF VM (examples/bf).

Same semantics as the VM: only the eight command bytes count; 30000 cells of u8, all 0 at start;
`+`/`-` wrap modulo 256; `,` at end of input leaves the cell unchanged; moving off either end of
the tape is a fatal error (status 101); an unmatched bracket is an error (status 2).

    bf_ref.py PROGRAM.b [< INPUT]           run, output on stdout
    bf_ref.py --count PROGRAM.b [< INPUT]   also print the number of executed commands on stderr
    bf_ref.py --check [DIR]                 run every DIR/*.b (default: ../programs) and compare
                                            with DIR/NAME.out, feeding DIR/NAME.in when present

Deliberately simple and unoptimised: it is the reference, not a competitor.
"""

import os
import sys

TAPE_SIZE = 30000
COMMANDS = b"+-<>.,[]"


class BFError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def parse(source):
    """The command bytes of `source` and the bracket-match table."""
    code = bytes(b for b in source if b in COMMANDS)
    match = [0] * len(code)
    stack = []
    for pc, op in enumerate(code):
        if op == ord("["):
            stack.append(pc)
        elif op == ord("]"):
            if not stack:
                raise BFError(2, "unmatched ']'")
            open_pc = stack.pop()
            match[open_pc] = pc
            match[pc] = open_pc
    if stack:
        raise BFError(2, "unmatched '['")
    return code, match


def run(source, data, out=None):
    """Runs `source` (bytes) on input `data` (bytes); returns (output bytes, executed commands).

    The output goes to `out` (a bytearray) when given, so that it survives a BFError."""
    code, match = parse(source)
    tape = [0] * TAPE_SIZE
    pos = 0
    pc = 0
    inp = 0
    if out is None:
        out = bytearray()
    count = 0
    n = len(code)
    PLUS, MINUS, RIGHT, LEFT = ord("+"), ord("-"), ord(">"), ord("<")
    DOT, COMMA, OPEN, CLOSE = ord("."), ord(","), ord("["), ord("]")
    while pc < n:
        op = code[pc]
        count += 1
        if op == PLUS:
            tape[pos] = (tape[pos] + 1) & 255
        elif op == MINUS:
            tape[pos] = (tape[pos] - 1) & 255
        elif op == RIGHT:
            pos += 1
            if pos >= TAPE_SIZE:
                raise BFError(101, "moved right of the last tape cell")
        elif op == LEFT:
            pos -= 1
            if pos < 0:
                raise BFError(101, "moved left of the first tape cell")
        elif op == DOT:
            out.append(tape[pos])
        elif op == COMMA:
            if inp < len(data):
                tape[pos] = data[inp]
                inp += 1
        elif op == OPEN:
            if tape[pos] == 0:
                pc = match[pc]
        elif op == CLOSE:
            if tape[pos] != 0:
                pc = match[pc]
        pc += 1
    return bytes(out), count


def check(directory):
    failures = 0
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".b"):
            continue
        base = os.path.join(directory, name[:-2])
        with open(base + ".b", "rb") as f:
            source = f.read()
        data = b""
        if os.path.exists(base + ".in"):
            with open(base + ".in", "rb") as f:
                data = f.read()
        with open(base + ".out", "rb") as f:
            expected = f.read()
        out, count = run(source, data)
        ok = out == expected
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {count} commands executed")
    return 1 if failures else 0


def main(argv):
    if argv and argv[0] == "--check":
        here = os.path.dirname(os.path.abspath(__file__))
        directory = argv[1] if len(argv) > 1 else os.path.join(here, "..", "programs")
        return check(directory)
    count_mode = bool(argv) and argv[0] == "--count"
    if count_mode:
        argv = argv[1:]
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 1
    try:
        with open(argv[0], "rb") as f:
            source = f.read()
    except OSError as e:
        sys.stderr.write(f"bf_ref: cannot read {argv[0]}: {e.strerror}\n")
        return 1
    out = bytearray()
    try:
        _, count = run(source, sys.stdin.buffer.read(), out)
    except BFError as e:
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
        sys.stderr.write(f"bf_ref: {e}\n")
        return e.status
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    if count_mode:
        sys.stderr.write(f"{count} commands executed\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
