from helper_mod import greet, add as plus, GREETING
from shapes_mod import *
print(greet("from-import"), plus(10, 5), GREETING)
shapes = [Square(2), Circle(1), Square(3)]
print([s.area() for s in shapes], area_sum(shapes))
print("not_exported" in dir(), "PI" in dir())
import shapes_mod
print(shapes_mod.not_exported(), shapes_mod.PI, shapes_mod.Square is Square)
