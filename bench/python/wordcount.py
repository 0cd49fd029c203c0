# Text processing: generate a deterministic pseudo-English text (a linear
# congruential generator picks syllables), then normalise it, count words and
# word pairs in dicts, and build a report with string methods and f-strings.
# Usage: wordcount.py [sentences]
import sys

SYLLABLES = ["ka", "lo", "ri", "ben", "tor", "a", "mi", "sun", "del", "or",
             "vi", "ta", "ne", "qu", "is", "zor", "pe", "lin", "ga", "um"]
PUNCT = [".", ".", ".", "!", "?", ";"]


class Rng:
    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 8) % bound


def make_vocabulary(rng, size):
    words = []
    seen = set()
    while len(words) < size:
        w = "".join(SYLLABLES[rng.next(len(SYLLABLES))]
                    for _ in range(1 + rng.next(3)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def make_text(rng, vocab, sentences):
    parts = []
    for _ in range(sentences):
        n = 4 + rng.next(9)
        words = []
        for k in range(n):
            # a skewed choice: low indices are much more frequent
            idx = rng.next(len(vocab)) * rng.next(len(vocab)) // len(vocab)
            w = vocab[idx]
            if k == 0:
                w = w.capitalize()
            elif rng.next(10) == 0:
                w = w + ","
            words.append(w)
        parts.append(" ".join(words) + PUNCT[rng.next(len(PUNCT))])
    return "\n".join(" ".join(parts[i:i + 5]) for i in range(0, len(parts), 5))


def normalise(text):
    for p in ".,!?;":
        text = text.replace(p, " ")
    return text.lower()


def count(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    pairs = {}
    for a, b in zip(words, words[1:]):
        key = (a, b)
        if key in pairs:
            pairs[key] += 1
        else:
            pairs[key] = 1
    return counts, pairs


def report(text, counts, pairs):
    lines = []
    total = sum(counts.values())
    lines.append(f"lines: {text.count(chr(10)) + 1}, characters: {len(text)}")
    lines.append(f"words: {total}, distinct: {len(counts)}, pairs: {len(pairs)}")
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    for w, c in top:
        bar = "#" * (c * 40 // top[0][1])
        lines.append(f"  {w:<12}{c:>7} {100.0 * c / total:6.2f}% {bar}")
    top_pairs = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    for (a, b), c in top_pairs:
        lines.append(f"  {a + ' ' + b:<20}{c:>6}")
    longest = max(counts, key=lambda w: (len(w), w))
    lines.append(f"longest: {longest} ({len(longest)})")
    by_initial = {}
    for w, c in counts.items():
        by_initial.setdefault(w[0], []).append(c)
    lines.append(" ".join(f"{k}:{sum(v)}" for k, v in sorted(by_initial.items())))
    sentences = [s.strip() for s in text.replace("!", ".").replace("?", ".").split(".")]
    sentences = [s for s in sentences if s]
    upper = sum(1 for s in sentences if s[0].isupper())
    lines.append(f"sentences: {len(sentences)}, capitalised: {upper}")
    return "\n".join(lines)


def main():
    sentences = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
    rng = Rng(42)
    vocab = make_vocabulary(rng, 800)
    text = make_text(rng, vocab, sentences)
    words = normalise(text).split()
    counts, pairs = count(words)
    print(report(text, counts, pairs))


main()
