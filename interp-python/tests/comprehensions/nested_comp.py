matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([row[i] for row in matrix for i in range(len(row)) if i == len(row) - 1])
print([[row[i] for row in matrix] for i in range(3)])
print([x for row in matrix for x in row if x % 2])
print({i: {j: i * j for j in range(3)} for i in range(2)})
print([[c * n for c in "ab"] for n in range(1, 3)])
triples = [(a, b, c) for c in range(1, 21) for b in range(1, c) for a in range(1, b) if a * a + b * b == c * c]
print(triples)
print(sum([[1, 2], [3], []], []), [y for x in [[1, [2]], [[3]]] for y in x])
