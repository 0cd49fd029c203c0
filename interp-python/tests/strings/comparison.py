pairs = [("a", "b"), ("Z", "a"), ("abc", "abd"), ("ab", "abc"), ("", "a"), ("b", "abc"), ("abc", "abc"), ("10", "9"), ("é", "z")]
for x, y in pairs:
    print(repr(x), repr(y), x < y, x <= y, x == y, x != y, x > y, x >= y)
print("ell" in "hello", "xyz" not in "hello", "" in "abc", "hello" in "hello")
print(max("apple", "banana", "cherry"), min(["b", "a", "C"]))
print(sorted(["banana", "Apple", "cherry", "apple", "Banana"]))
try:
    "a" < 1
except TypeError as e:
    print("TypeError:", e)
