data = """  name, age ,city
Alice, 30, Paris
  bob ,25 ,  london
CHARLIE,35,Rome  """
rows = [[cell.strip() for cell in line.split(",")] for line in data.strip().splitlines()]
header, body = rows[0], rows[1:]
print(header)
for r in body:
    name, age, city = r
    print(name.capitalize().ljust(8), age.rjust(3), city.title())
print(" | ".join(h.upper() for h in header))
print(sum(int(r[1]) for r in body))
print(",".join(r[0].lower() for r in body).replace(",", ";"))
