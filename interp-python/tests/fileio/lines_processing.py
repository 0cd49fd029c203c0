path = "/tmp/vmkit_fileio_lines.csv"
rows = [("name", "score"), ("ann", 91), ("bob", 78), ("cy", 85)]
with open(path, "w") as f:
    for r in rows:
        f.write(",".join(str(c) for c in r) + "\n")
with open(path) as f:
    header = f.readline().strip().split(",")
    records = [dict(zip(header, line.strip().split(","))) for line in f]
print(header)
for rec in records:
    print(rec)
scores = [int(r["score"]) for r in records]
print(sum(scores) / len(scores), max(records, key=lambda r: int(r["score"]))["name"])
with open(path) as f:
    print(len(f.readlines()), f.read() == "")
