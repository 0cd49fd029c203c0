class Animal:
    def __init__(self, name):
        self.name = name
    def speak(self):
        return "..."
    def describe(self):
        return f"{self.name}: {self.speak()}"
class Cat(Animal):
    def speak(self):
        return "meow"
class Lion(Cat):
    def speak(self):
        return super().speak().upper() + "!"
class Fish(Animal):
    pass
for a in [Animal("generic"), Cat("tom"), Lion("leo"), Fish("nemo")]:
    print(a.describe())
print(isinstance(Lion("x"), Animal), issubclass(Lion, Cat), issubclass(Cat, Lion))
print(Lion.__bases__[0].__name__, Animal.__bases__[0].__name__)
print([c.__name__ for c in Lion.__mro__])
