def main():
    l = []
    for i in range(200000):
        l.append(i % 1000)
    evens = [x for x in l if x % 2 == 0]
    counts = {}
    for x in evens:
        counts[x] = counts.get(x, 0) + 1
    print(len(l), len(evens), len(counts), counts[10])
main()
