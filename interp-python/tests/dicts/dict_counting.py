text = "the cat and the horse and a bat in the hat"
counts = {}
for w in text.split():
    counts[w] = counts.get(w, 0) + 1
print(counts)
by_len = {}
for w in text.split():
    by_len.setdefault(len(w), []).append(w)
print(by_len)
letters = {}
for ch in text.replace(" ", ""):
    if ch in letters:
        letters[ch] += 1
    else:
        letters[ch] = 1
top = sorted(letters.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
print(top)
inv = {v: k for k, v in counts.items()}
print(inv)
