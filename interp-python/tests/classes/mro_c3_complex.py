class O: pass
class F(O): pass
class E(O): pass
class D(O): pass
class C(D, F): pass
class B(D, E): pass
class A(B, C): pass
print([k.__name__ for k in A.__mro__])
class X: pass
class Y: pass
class Z(X, Y): pass
class W(Y, X): pass
try:
    class Bad(Z, W):
        pass
except TypeError as e:
    print("TypeError:", "consistent method resolution" in str(e))
try:
    class Bad2(X, Z):
        pass
except TypeError as e:
    print("TypeError:", "consistent method resolution" in str(e))
class Good(Z, X): pass
print([k.__name__ for k in Good.__mro__])
