import counter_mod as cm
import shapes_mod as sm
def total_area_with_counting(shapes):
    for s in shapes:
        cm.increment()
    return sm.area_sum(shapes)
print(total_area_with_counting([sm.Square(1), sm.Square(4)]))
print(cm.count, cm.history)
print(total_area_with_counting([sm.Circle(2)]), cm.count)
