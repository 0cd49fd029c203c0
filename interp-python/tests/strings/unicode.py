s = "héllo wörld"
print(len(s), s.upper(), s.title())
print(ord("é"), chr(233), ord("€"), chr(8364), ord("\U0001F600"))
print(len("日本語"), "日本語"[1], "日本語"[::-1])
print("ß".upper(), "ǅ".lower(), "Σ".lower())
print(len(s.encode("utf-8")), len("€".encode()), len("\U0001F600".encode()))
print("ÉCOLE".lower(), "straße".casefold() == "STRASSE".casefold())
print(sorted("éaz"), "é" > "z")
print("naïve".isalpha(), "٣".isdigit(), "½".isnumeric(), "½".isdigit())
