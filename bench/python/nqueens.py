# n-queens: count every placement of n non-attacking queens by backtracking
# over rows, with occupancy lists for columns and both diagonals; also
# reports the first solution found and a checksum over all solutions.
# Usage: nqueens.py [n]
import sys


class Board:
    def __init__(self, n):
        self.n = n
        self.cols = [False] * n
        self.up = [False] * (2 * n - 1)     # row + col
        self.down = [False] * (2 * n - 1)   # row - col + n - 1
        self.queens = []
        self.solutions = 0
        self.first = None
        self.checksum = 0

    def free(self, row, col):
        return not (self.cols[col] or self.up[row + col]
                    or self.down[row - col + self.n - 1])

    def mark(self, row, col, value):
        self.cols[col] = value
        self.up[row + col] = value
        self.down[row - col + self.n - 1] = value

    def solve(self, row=0):
        if row == self.n:
            self.solutions += 1
            if self.first is None:
                self.first = list(self.queens)
            weight = 0
            for c in self.queens:
                weight = weight * self.n + c
            self.checksum = (self.checksum + weight) % 1000000007
            return
        for col in range(self.n):
            if self.free(row, col):
                self.mark(row, col, True)
                self.queens.append(col)
                self.solve(row + 1)
                self.queens.pop()
                self.mark(row, col, False)


def show(n, queens):
    return "\n".join("".join("Q" if c == q else "." for c in range(n))
                     for q in queens)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    for size in range(4, n + 1):
        b = Board(size)
        b.solve()
        print(f"{size:2d} queens: {b.solutions} solutions, checksum {b.checksum}")
        if size == n:
            print(show(size, b.first))


main()
