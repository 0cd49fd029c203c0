import sys
try:
    sys.exit(3)
except SystemExit as e:
    print("caught SystemExit", e.code, type(e.code).__name__)
try:
    sys.exit("message")
except SystemExit as e:
    print("caught", repr(e.code))
try:
    sys.exit()
except SystemExit as e:
    print("caught", e.code)
try:
    raise KeyboardInterrupt
except Exception:
    print("not caught by Exception")
except BaseException as e:
    print("BaseException caught", type(e).__name__)
print("still running")
