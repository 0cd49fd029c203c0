value = 3
print("valid before")
print(f"{value!z}")
print("after")
print(value)
