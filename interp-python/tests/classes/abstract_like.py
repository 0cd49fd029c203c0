class Base:
    def template(self):
        return f"[{self.head()}|{self.body()}]"
    def head(self):
        return "base-head"
    def body(self):
        raise NotImplementedError(type(self).__name__ + ".body")
class Impl(Base):
    def body(self):
        return "impl-body"
class Override(Impl):
    def head(self):
        return "over-head"
print(Impl().template(), Override().template())
try:
    Base().template()
except NotImplementedError as e:
    print("NotImplementedError:", e)
print(Override.head is not Impl.head, Override.body is Impl.body)
