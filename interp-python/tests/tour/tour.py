# One script exercising every language item and every builtin/module the interp-python issue
# lists (items 3 and 4), compared byte for byte with CPython like every conformance script.
import math
import random
import sys
import time
import tour_mod
from tour_mod import twice

# --- values: big ints, floats, bools, None, str, bytes, bytearray
n = 2 ** 100 + 1
print(n, n // 3, n % 1000, -n, n.bit_length(), 7 ** 23 - 7 ** 22)
print(0.1 + 0.2, 1e300 * 10, -2.5 // 1, 7.0 % 3, float("1.5"), True + 1, None is None)
s = "  Hello, World  "
print(s.strip().split(", "), "-".join(["a", "b", "c"]), s.replace("l", "L"), s.find("W"),
      s.strip().startswith("Hell"), "{:>8}|{:<4}|{:^5}".format("r", 1, "c"), "%5.2f %d %s" % (3.14159, 7, "x"))
name, width = "pi", 10
print(f"{name!r:>{width}} = {math.pi:.4f} {n:,}")
b = b"bytes\x00\xff"
ba = bytearray(b"abc")
ba.append(100)
ba[0] = 65
print(b, len(b), b[1], b[1:3], ba, bytes(ba), ba.decode())

# --- containers, slicing, unpacking, comparisons, identity, membership
lst = list(range(10))
tup = (1, "two", 3.0)
d = {"b": 2, "a": 1}
d["c"] = 3
st = {3, 1, 2}
fs = frozenset([1, 2])
print(lst[::3], lst[8:2:-2], lst[-3:], tup[1], d, sorted(st), fs | {5}, st & fs, d.get("z", 0))
first, *middle, last = lst
(x, y), z = (1, 2), 3
print(first, middle, last, x, y, z, 1 < x + 1 < 3 == z, lst is lst, lst == lst[:], 5 in lst, "q" not in d)


# --- functions: defaults, keyword-only, *args/**kwargs, closures, nonlocal, global, lambda,
#     decorators
counter = 0


def bump():
    global counter
    counter += 1


def make_acc(start=0):
    total = start

    def add(k, *, scale=1):
        nonlocal total
        total += k * scale
        return total
    return add


def describe(a, b=2, *args, c, **kw):
    return f"a={a} b={b} args={args} c={c} kw={sorted(kw.items())}"


def shout(f):
    def wrapper(*a, **k):
        return f(*a, **k).upper()
    wrapper.__name__ = f.__name__
    return wrapper


@shout
def greet(who):
    return "hi " + who


acc = make_acc(10)
acc(1)
bump()
bump()
print(acc(2, scale=5), counter, describe(1, c=3), describe(1, 2, 3, 4, c=5, e=6, d=7),
      greet("bob"), greet.__name__, (lambda p, q=1: p * q)(6, 7), sorted(lst, key=lambda v: -v)[:3])


# --- classes: inheritance (C3 MRO), super, class/static methods, properties, operators,
#     repr/str/hash/eq/ordering, iteration, context managers
class Base:
    def who(self):
        return "Base"


class Left(Base):
    def who(self):
        return "Left>" + super().who()


class Right(Base):
    def who(self):
        return "Right>" + super().who()


class Diamond(Left, Right):
    def who(self):
        return "Diamond>" + super().who()


class Vec:
    dims = 2

    def __init__(self, x, y):
        self._x, self.y = x, y

    @property
    def x(self):
        return self._x

    @x.setter
    def x(self, v):
        self._x = v

    @classmethod
    def zero(cls):
        return cls(0, 0)

    @staticmethod
    def norm2(a, b):
        return a * a + b * b

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)

    def __lt__(self, o):
        return Vec.norm2(self.x, self.y) < Vec.norm2(o.x, o.y)

    def __hash__(self):
        return hash((self.x, self.y))

    def __repr__(self):
        return f"Vec({self.x}, {self.y})"

    def __str__(self):
        return f"<{self.x},{self.y}>"

    def __iter__(self):
        yield self.x
        yield self.y

    def __len__(self):
        return Vec.dims

    def __getitem__(self, i):
        return (self.x, self.y)[i]

    def __contains__(self, v):
        return v in (self.x, self.y)


class Managed:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        self.log.append("enter")
        return self

    def __exit__(self, et, ev, tb):
        self.log.append("exit " + (et.__name__ if et else "clean"))
        return et is KeyError


v = Vec(1, 2) + 3 * Vec(1, 1)
v.x = 10
print([c.__name__ for c in Diamond.__mro__], Diamond().who(), v, repr(v), str(Vec.zero()), list(v),
      len(v), v[1], 5 in v, Vec(1, 2) == Vec(1, 2), Vec(3, 4) < Vec(5, 0), hash(Vec(1, 2)) == hash(Vec(1, 2)),
      sorted([Vec(3, 3), Vec(1, 0), Vec(2, 1)]), {Vec(1, 2), Vec(1, 2)} == {Vec(1, 2)})
log = []
with Managed(log):
    log.append("body")
with Managed(log) as m:
    raise KeyError("swallowed")
print(log, m.log is log)


# --- exceptions: try/except/else/finally, raise from, custom classes, the hierarchy
class AppError(Exception):
    def __init__(self, code):
        super().__init__(f"code {code}")
        self.code = code


def risky(k):
    try:
        if k == 0:
            raise AppError(7)
        if k == 1:
            return {}["missing"]
        if k == 2:
            try:
                int("x")
            except ValueError as e:
                raise RuntimeError("wrapped") from e
        out = "ok"
    except AppError as e:
        out = f"AppError {e} {e.code}"
    except LookupError as e:
        out = f"{type(e).__name__} {e!r} lookup={isinstance(e, LookupError)}"
    except RuntimeError as e:
        out = f"RuntimeError {e} cause={type(e.__cause__).__name__}"
    else:
        out += " else"
    finally:
        out += " finally"
    return out


print([risky(k) for k in range(4)], issubclass(KeyError, LookupError), issubclass(AppError, Exception))


# --- generators, yield from, generator expressions, comprehensions, while/for else, walrus,
#     assert, del, match
def gen(k):
    for i in range(k):
        yield i * i
    return "done"


def outer():
    result = yield from gen(3)
    yield result


squares = [q for q in gen(5) if q % 2 == 0]
print(list(outer()), squares, {k: k * k for k in range(3)}, {c for c in "abca"} == set("abc"),
      sum(i for i in range(101)), next(iter(gen(2))))
i = 0
while i < 3:
    i += 1
else:
    print("while-else", i)
for j in range(5):
    if j == 2:
        break
else:
    print("not printed")
if (m := len(lst)) > 5:
    print("walrus", m)
try:
    assert i == 4, "i is not 4"
except AssertionError as e:
    print("AssertionError:", e)
tmp = [1, 2, 3]
del tmp[0]
del d["a"]
print(tmp, d)


def classify(o):
    match o:
        case 0 | 1:
            return "bit"
        case [a, *rest]:
            return f"seq {a} +{len(rest)}"
        case {"k": val}:
            return f"map {val}"
        case Vec(x=0):
            return "vec on the y axis"
        case str() as text if text:
            return "text " + text
        case _:
            return "other"


print([classify(o) for o in (1, [5, 6, 7], {"k": 9}, Vec(0, 3), "s", 2.5)])

# --- builtins
print(len("abc"), list(range(2, 11, 4)), list(enumerate("ab", 1)), list(zip("ab", [1, 2, 3])),
      list(map(abs, [-1, 2])), list(filter(None, [0, 1, "", "x"])), min(3, 1, 2), max([4, 9], key=str),
      sum([1, 2], 10), abs(-2.5), sorted("bca", reverse=True), list(reversed([1, 2, 3])))
print(isinstance(1, (str, int)), issubclass(bool, int), type(1.0).__name__, hash(12345) == 12345,
      id(lst) == id(lst), repr("q'"), str(12), int("ff", 16), float("-inf"), bool([]), list("ab"),
      dict(a=1), set([1, 1]), tuple([1]), callable(len), callable(3))
it = iter([1, 2])
print(next(it), next(it), next(it, "end"), any([0, 0, 1]), all([]), chr(9731), ord("A"), divmod(-7, 2),
      pow(3, 4, 5), pow(2, -1), round(2.675, 2), round(7.5), hex(255), oct(8), bin(5))
obj = Vec(1, 1)
setattr(obj, "label", "L")
print(getattr(obj, "label"), getattr(obj, "nope", "default"), hasattr(obj, "y"), hasattr(obj, "z"))
line = input()
number = int(input("prompt> "))
print(repr(line), number * 2)
path = "/tmp/vmkit_tour.txt"
with open(path, "w") as f:
    f.write("one\ntwo\n")
    print("three", file=f)
with open(path) as f:
    print(f.read().splitlines())
with open(path) as f:
    print([ln.rstrip() for ln in f])

# --- modules
print(math.sqrt(16), math.floor(-1.5), math.gcd(12, 18), math.isclose(math.sin(math.pi), 0, abs_tol=1e-12),
      math.inf > 10 ** 100, math.factorial(20))
t0 = time.time()
print(t0 > 1.6e9, time.monotonic() <= time.monotonic(), isinstance(time.perf_counter(), float))
random.seed(12345)
print(random.random(), random.randint(1, 100), random.choice("xyz"), random.sample(range(10), 3))
r = list(range(6))
random.shuffle(r)
print(r, random.uniform(1, 2))
print(sys.argv[1:], tour_mod.GREETING, twice(21), sys.maxsize > 2 ** 62)
sys.stdout.write("stdout write\n")
sys.stderr.write("stderr write\n")
sys.exit(3)
