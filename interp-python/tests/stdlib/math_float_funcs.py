import math
print(math.fabs(-3), math.fmod(7, 3), math.fmod(-7, 3), math.copysign(5, -0.0))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1, 1.001, rel_tol=1e-2), math.isclose(1, 1.1))
print(math.isfinite(1e308), math.isinf(1e308 * 10), math.isnan(0.0 * math.inf))
print(math.frexp(8.0), math.frexp(0.1), math.ldexp(0.5, 4), math.modf(-1.25))
print(math.fsum([0.1] * 10), math.fsum([1e100, 1.0, -1e100]), sum([1e100, 1.0, -1e100]))
print(math.trunc(2.9), math.trunc(-2.9), math.remainder(10, 3), math.remainder(11, 3))
print(math.nextafter(1.0, 2.0) > 1.0, math.ulp(1.0), math.ulp(1.0) == 2 ** -52)
