def shutdown(code):
    print("shutting down with", code)
    raise SystemExit(code)
try:
    shutdown(7)
except Exception:
    print("Exception does not catch SystemExit")
print("unreachable")
