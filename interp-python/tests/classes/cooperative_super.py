log = []
class Root:
    def setup(self):
        log.append("Root")
class A(Root):
    def setup(self):
        log.append("A")
        super().setup()
class B(Root):
    def setup(self):
        log.append("B")
        super().setup()
class C(A, B):
    def setup(self):
        log.append("C")
        super().setup()
C().setup()
print(log)
class KwBase:
    def __init__(self, **kw):
        self.extra = kw
class Named(KwBase):
    def __init__(self, name, **kw):
        self.name = name
        super().__init__(**kw)
class Aged(KwBase):
    def __init__(self, age, **kw):
        self.age = age
        super().__init__(**kw)
class Person(Named, Aged):
    pass
p = Person(name="al", age=3, city="x")
print(p.name, p.age, p.extra)
