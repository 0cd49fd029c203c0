import sys
print("validating input")
errors = ["missing field 'name'"]
if errors:
    sys.exit("fatal: " + errors[0])
print("unreachable")
