# A hand-written JSON serializer and recursive-descent parser: builds nested
# documents of dicts, lists, strings, ints, floats, booleans and None, dumps
# them to text, parses the text back and checks the round trip. String
# slicing and scanning, isinstance dispatch, recursion, exceptions for errors.
# Usage: json_roundtrip.py [documents]
import sys

ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}
UNESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "/": "/"}


class ParseError(Exception):
    def __init__(self, pos, msg):
        super().__init__(f"{msg} at {pos}")
        self.pos = pos


def dump(value, out):
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(repr(value))
    elif isinstance(value, str):
        out.append('"' + "".join(ESCAPES.get(c, c) for c in value) + '"')
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(", ")
            dump(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        first = True
        for k, v in value.items():
            if not first:
                out.append(", ")
            first = False
            dump(k, out)
            out.append(": ")
            dump(v, out)
        out.append("}")
    else:
        raise TypeError(f"cannot serialize {type(value).__name__}")


def dumps(value):
    out = []
    dump(value, out)
    return "".join(out)


class Parser:
    def __init__(self, text):
        self.text = text
        self.pos = 0

    def skip(self):
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in " \n\t\r":
            pos += 1
        self.pos = pos

    def expect(self, word):
        if not self.text.startswith(word, self.pos):
            raise ParseError(self.pos, f"expected {word!r}")
        self.pos += len(word)

    def value(self):
        self.skip()
        if self.pos >= len(self.text):
            raise ParseError(self.pos, "unexpected end")
        c = self.text[self.pos]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.array()
        if c == '"':
            return self.string()
        if c == "n":
            self.expect("null")
            return None
        if c == "t":
            self.expect("true")
            return True
        if c == "f":
            self.expect("false")
            return False
        return self.number()

    def obj(self):
        self.pos += 1
        result = {}
        self.skip()
        if self.text[self.pos] == "}":
            self.pos += 1
            return result
        while True:
            self.skip()
            key = self.string()
            self.skip()
            self.expect(":")
            result[key] = self.value()
            self.skip()
            c = self.text[self.pos]
            self.pos += 1
            if c == "}":
                return result
            if c != ",":
                raise ParseError(self.pos - 1, "expected ',' or '}'")

    def array(self):
        self.pos += 1
        result = []
        self.skip()
        if self.text[self.pos] == "]":
            self.pos += 1
            return result
        while True:
            result.append(self.value())
            self.skip()
            c = self.text[self.pos]
            self.pos += 1
            if c == "]":
                return result
            if c != ",":
                raise ParseError(self.pos - 1, "expected ',' or ']'")

    def string(self):
        if self.text[self.pos] != '"':
            raise ParseError(self.pos, "expected string")
        self.pos += 1
        chunks = []
        start = self.pos
        text = self.text
        while True:
            c = text[self.pos]
            if c == '"':
                chunks.append(text[start:self.pos])
                self.pos += 1
                return "".join(chunks)
            if c == "\\":
                chunks.append(text[start:self.pos])
                chunks.append(UNESCAPES[text[self.pos + 1]])
                self.pos += 2
                start = self.pos
            else:
                self.pos += 1

    def number(self):
        start = self.pos
        text = self.text
        while self.pos < len(text) and text[self.pos] in "+-0123456789.eE":
            self.pos += 1
        token = text[start:self.pos]
        if not token:
            raise ParseError(start, "unexpected character")
        if "." in token or "e" in token or "E" in token:
            return float(token)
        return int(token)


def loads(text):
    p = Parser(text)
    v = p.value()
    p.skip()
    if p.pos != len(text):
        raise ParseError(p.pos, "trailing data")
    return v


def make_doc(seed, depth):
    x = seed
    def rnd(n):
        nonlocal x
        x = (x * 69069 + 1) % 4294967296
        return (x >> 12) % n
    def build(d):
        k = rnd(8) if d > 0 else rnd(5)
        if k == 0:
            return rnd(100000) - 50000
        if k == 1:
            return rnd(1000000) / 64.0
        if k == 2:
            return "".join("abcdefghij \"\\\n\t"[rnd(15)] for _ in range(rnd(12)))
        if k == 3:
            return [None, True, False][rnd(3)]
        if k == 4:
            return "id-%d" % rnd(1000)
        if k in (5, 6):
            return {f"key{rnd(50)}": build(d - 1) for _ in range(rnd(6))}
        return [build(d - 1) for _ in range(rnd(6))]
    return {"seed": seed, "items": [build(depth) for _ in range(4)]}


def main():
    docs = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    total_chars = 0
    checksum = 0
    for seed in range(docs):
        doc = make_doc(seed, 5)
        text = dumps(doc)
        back = loads(text)
        if back != doc:
            print("round trip mismatch for seed", seed)
            return
        total_chars += len(text)
        checksum = (checksum * 31 + sum(map(ord, text[::97]))) % 1000000007
    print(f"{docs} documents, {total_chars} characters, checksum {checksum}")
    print(dumps(make_doc(7, 2)))
    errors = 0
    for bad in ['{"a": 1,', '[1 2]', '{"a" 1}', 'nul', '[1, 2]x', '"abc']:
        try:
            loads(bad)
        except ParseError as e:
            errors += 1
            print("error:", e)
        except IndexError:
            errors += 1
            print("error: unexpected end in", repr(bad))
    print("errors:", errors)


main()
