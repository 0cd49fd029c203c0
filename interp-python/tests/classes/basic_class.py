class Dog:
    species = "canis"
    def __init__(self, name, age):
        self.name = name
        self.age = age
    def bark(self):
        return f"{self.name} says woof"
    def birthday(self):
        self.age += 1
        return self
d = Dog("Rex", 3)
print(d.name, d.age, d.species, Dog.species, d.bark())
print(d.birthday().birthday().age)
e = Dog("Fido", 1)
e.species = "wolf"
print(d.species, e.species, Dog.species)
Dog.species = "canis lupus"
print(d.species, e.species)
print(type(d).__name__, isinstance(d, Dog), Dog.__name__)
print(Dog.bark(d), sorted(vars(d)))
