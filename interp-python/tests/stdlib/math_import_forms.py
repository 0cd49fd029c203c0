import math as m
from math import sqrt, pi as PI, floor
print(m.sqrt(81), sqrt(81), PI == m.pi, floor(-0.5))
import math
print(math is m, math.sqrt is sqrt)
from math import *
print(ceil(1.2), factorial(5), isclose(e, m.e), gcd(8, 12))
import sys
print("math" in sys.modules, sys.modules["math"] is m)
print(type(m).__name__, m.__name__)
