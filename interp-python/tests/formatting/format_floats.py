for v in [0.5, 1.5, 2.5, 3.5, -0.5, 2.675, 1e-7, 123456789.0, 1e16, 0.1]:
    print(f"{v:.0f} {v:.2f} {v:.3e} {v:g} {v:.10g} {v!r}")
print(f"{1e21:f}", f"{1/3:.20f}")
print(f"{float('inf'):f} {float('-inf'):e} {float('nan'):g} {float('inf'):>6}")
print(f"{-0.0:.1f} {0.0:+.1f} {-1e-10:.3f}")
print("{:.3}".format(1234.5), "{:.3}".format(0.00012345), "{}".format(1e-5))
print(format(2 ** 0.5, ".15f"), format(2 ** 0.5, ".17g"))
