matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print(matrix[1][2], matrix[-1][-1], len(matrix), len(matrix[0]))
transposed = [[row[i] for row in matrix] for i in range(3)]
print(transposed)
print([sum(r) for r in matrix], sum(sum(r) for r in matrix))
flat = [x for row in matrix for x in row]
print(flat)
matrix[0].append(10)
print(matrix)
deep = [1, [2, [3, [4]]]]
def depth(x):
    return 1 + max((depth(y) for y in x if isinstance(y, list)), default=0)
print(depth(deep), deep[1][1][1][0])
