words = ["banana", "Apple", "cherry", "apple", "Banana", "APPLE"]
print(sorted(words))
print(sorted(words, key=str.lower))
print(sorted(words, key=lambda w: (w.lower(), w)))
seen = []
for w in words:
    if w.lower() not in seen:
        seen.append(w.lower())
print(seen)
print("Hello".lower() == "hELLO".lower(), "ǅ".casefold(), "Σίσυφος".upper())
print([w for w in words if w.lower().startswith("a")])
