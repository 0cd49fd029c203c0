"""A small helper for writing BF generators (life1d_gen.py, digits_gen.py, mandel_gen.py).

It emits BF code line by line with a comment after the code, keeps track of where the pointer
is, and provides the usual macros (move, copy, constants, loops, if/else). Cells are plain
integers: absolute tape addresses, or offsets inside an array element while a loop walks an array
(`loop(cell, shift=...)` ends each iteration `shift` cells further; after such a loop the caller
decides, with `rebase`, which number the current cell has).

Comments are checked: they must not contain any of the eight command characters.
"""

from contextlib import contextmanager

COMMANDS = set("+-<>.,[]")
CODE_WIDTH = 44  # comments start in this column
WRAP = 72  # longer runs of code are split over several lines


def check_text(text):
    bad = sorted(set(text) & COMMANDS)
    if bad:
        raise ValueError(f"comment contains BF commands {bad}: {text!r}")
    return text


class Gen:
    def __init__(self):
        self.lines = []
        self.buf = ""
        self.buf_depth = 0
        self.depth = 0
        self.pos = 0

    # output -------------------------------------------------------------------------------------

    def emit(self, code):
        if not code:
            return
        assert set(code) <= COMMANDS, code
        if not self.buf:
            self.buf_depth = self.depth
        self.buf += code

    def note(self, comment=""):
        """Ends the current line of code, with `comment` after it."""
        check_text(comment)
        indent = "    " * self.buf_depth
        code = self.buf
        self.buf = ""
        chunks = [code[i : i + WRAP] for i in range(0, len(code), WRAP)] or [""]
        for chunk in chunks[:-1]:
            self.lines.append(indent + chunk)
        line = indent + chunks[-1]
        if comment:
            if line.strip():
                line = line.ljust(CODE_WIDTH - 1) + " " + comment
            else:
                line = indent + comment
        self.lines.append(line.rstrip())

    def flush(self):
        if self.buf:
            self.note()

    def text(self, text):
        """Comment lines (no code)."""
        self.flush()
        for line in text.strip("\n").splitlines():
            check_text(line)
            self.lines.append(("    " * self.depth + line).rstrip())

    def blank(self):
        self.flush()
        self.lines.append("")

    def source(self):
        self.flush()
        assert self.depth == 0
        return "\n".join(self.lines) + "\n"

    # pointer and cells -------------------------------------------------------------------------

    def at(self, cell):
        d = cell - self.pos
        self.emit(">" * d if d > 0 else "<" * -d)
        self.pos = cell

    def rebase(self, cell):
        """Declares that the current cell is now called `cell`."""
        self.pos = cell

    def add(self, cell, n):
        n %= 256
        if n == 0:
            return
        self.at(cell)
        self.emit("+" * n if n <= 128 else "-" * (256 - n))

    def clear(self, cell):
        self.at(cell)
        self.emit("[-]")

    def set(self, cell, n, tmp=None, clear=True):
        """cell = n (cell is cleared first unless clear is False; tmp must be 0 and stays 0)."""
        if clear:
            self.clear(cell)
        n %= 256
        if tmp is None or n <= 16:
            self.add(cell, n)
            return
        best = None
        for a in range(2, 17):
            b = round(n / a)
            cost = a + b + abs(n - a * b)
            if best is None or cost < best[0]:
                best = (cost, a, b)
        _, a, b = best
        self.add(tmp, a)
        self.at(tmp)
        self.emit("[-")
        self.add(cell, b)
        self.at(tmp)
        self.emit("]")
        self.add(cell, n - a * b)

    def move(self, src, dsts):
        """Adds src times factor to every dst of the dict dsts ({cell: factor}); src becomes 0."""
        self.at(src)
        self.emit("[-")
        for d, f in dsts.items():
            assert d != src
            self.add(d, f)
        self.at(src)
        self.emit("]")

    def copy(self, src, dsts, tmp):
        """Like move, but src is kept (tmp must be 0 and stays 0)."""
        self.move(src, {**dsts, tmp: 1})
        self.move(tmp, {src: 1})

    def out(self, cell):
        self.at(cell)
        self.emit(".")

    # control flow -------------------------------------------------------------------------------

    @contextmanager
    def loop(self, cell, comment=None, end=None, shift=0):
        """while cell: body. With shift, every iteration ends shift cells further right (an array
        walk); the loop cell keeps its name."""
        if comment is not None:
            self.flush()
        self.at(cell)
        self.emit("[")
        if comment is not None:
            self.note(comment)
        self.depth += 1
        yield
        if comment is not None:
            self.flush()
        self.depth -= 1
        self.at(cell + shift)
        self.emit("]")
        if comment is not None or end is not None:
            self.note(end or "")
        self.pos = cell

    @contextmanager
    def if_flag(self, f, comment=None, end=None, els=None):
        """if f (a 0 or 1 cell, cleared): body. With els (a 0 cell), els becomes 1 if f was 0
        (for a following `orelse(els)`)."""
        if els is not None:
            self.add(els, 1)
        with self.loop(f, comment, end):
            self.add(f, -1)
            if els is not None:
                self.add(els, -1)
            yield

    @contextmanager
    def if_nonzero(self, f, comment=None, end=None, els=None):
        """if f (any value, cleared): body."""
        if els is not None:
            self.add(els, 1)
        with self.loop(f, comment, end):
            self.clear(f)
            if els is not None:
                self.add(els, -1)
            yield

    @contextmanager
    def orelse(self, els, comment=None, end=None):
        with self.loop(els, comment, end):
            self.add(els, -1)
            yield

    def chain(self, s, actions, clamp=False):
        """A switch on a small value s (s is cleared): actions[k]() runs for every k below s, in
        order (nested loops on s, each entered at most once). s must not exceed len(actions),
        unless clamp: then the deepest level clears s instead of counting it down."""

        def level(k):
            with self.loop(s):
                actions[k]()
                if clamp and k == len(actions) - 1:
                    self.clear(s)
                    return
                self.add(s, -1)
                if k + 1 < len(actions):
                    level(k + 1)

        level(0)

    def divmod(self, p0):
        """The classic divmod loop: with cells p0 to p6 holding (n 0 d 0 0 0 0), d at least 2,
        leaves (0 n d1 r q 0 0) with r and q the remainder and quotient of n divided by d and d1
        equal to d minus r. It counts one unit at a time, so it can be run again on more units
        (n in p0, p1 0) to keep dividing a growing sum: p2 to p4 carry the state."""
        self.at(p0)
        self.emit("[->+>-[>+>>]>[+[-<+>]>+>>]<<<<<<]")

    def print_byte(self, src, area, tmp):
        """Prints the value of src in decimal (src is kept); area is 11 free cells (left 0) and
        tmp a free cell."""
        a = area
        self.copy(src, {a: 1}, tmp)
        self.add(a + 2, 10)
        self.divmod(a)
        self.clear(a + 1)
        self.clear(a + 2)
        self.note("divide by 10: the units digit and the rest")
        # a+3 units, a+4 rest; divide the rest again from a+4: cells a+4 to a+10
        self.add(a + 6, 10)
        self.divmod(a + 4)
        self.clear(a + 5)
        self.clear(a + 6)
        self.note("divide the rest by 10: the tens and the hundreds digits")
        units, tens, hundreds = a + 3, a + 7, a + 8
        self.copy(hundreds, {a: 1}, tmp)
        with self.if_nonzero(a):
            self.add(a + 1, 1)
            self.add(hundreds, 48)
            self.out(hundreds)
        self.note("hundreds digit if not 0")
        self.copy(tens, {a: 1}, tmp)
        with self.if_nonzero(a):
            self.add(a + 1, 1)
        with self.if_nonzero(a + 1):
            self.add(tens, 48)
            self.out(tens)
        self.note("tens digit if it or the hundreds digit is not 0")
        self.add(units, 48)
        self.out(units)
        self.note("units digit")
        for c in (units, tens, hundreds):
            self.clear(c)
        self.note("clear")
