"""A user module imported by tour.py."""
GREETING = "hello from tour_mod"


def twice(x):
    return 2 * x
