#!/usr/bin/env python3
"""Translates a Brainfuck program to C with the bf VM's semantics, for the gcc -O2 baseline.

30000 cells of u8 wrapping mod 256, `,` at end of input leaves the cell unchanged, moving off
either end of the tape is a fatal error (message on stderr, status 101), output buffered.
The translation is direct: one C statement per command, runs of `+ - < >` folded into one
statement (what a simple compiler does); no idiom recognition beyond that. gcc -O2 does the rest.

Usage: bf2c.py PROGRAM.b > program.c
"""
import sys

def main():
    src = open(sys.argv[1], "rb").read()
    code = [chr(c) for c in src if chr(c) in "+-<>.,[]"]
    out = [
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "static unsigned char tape[30000];",
        "static void left(void) { fflush(stdout); fputs(\"fatal error: moved left of the first tape cell (0)\\n\", stderr); exit(101); }",
        "static void right(void) { fflush(stdout); fputs(\"fatal error: moved right of the last tape cell (29999)\\n\", stderr); exit(101); }",
        "int main(void) {",
        "  static char buf[1 << 16]; setvbuf(stdout, buf, _IOFBF, sizeof buf);",
        "  long p = 0;",
    ]
    i = 0
    depth = 1
    while i < len(code):
        c = code[i]
        if c in "+-<>":
            j = i
            n = 0
            while j < len(code) and code[j] in ("+-" if c in "+-" else "<>"):
                n += 1 if code[j] in "+>" else -1
                j += 1
            ind = "  " * depth
            if c in "+-":
                out.append(f"{ind}tape[p] = (unsigned char)(tape[p] + {n % 256});")
            elif n > 0:
                out.append(f"{ind}if (p + {n} > 29999) right(); p += {n};")
            elif n < 0:
                out.append(f"{ind}if (p < {-n}) left(); p -= {-n};")
            i = j
            continue
        ind = "  " * depth
        if c == ".":
            out.append(f"{ind}putchar(tape[p]);")
        elif c == ",":
            out.append(f"{ind}{{ fflush(stdout); int ch = getchar(); if (ch != EOF) tape[p] = (unsigned char)ch; }}")
        elif c == "[":
            out.append(f"{ind}while (tape[p]) {{")
            depth += 1
        elif c == "]":
            depth -= 1
            out.append("  " * depth + "}")
        i += 1
    out.append("  fflush(stdout);")
    out.append("  return 0;")
    out.append("}")
    print("\n".join(out))

if __name__ == "__main__":
    main()
