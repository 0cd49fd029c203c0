import counter_mod
from counter_mod import increment, count
increment()
increment(5)
counter_mod.increment(10)
print(counter_mod.count, count, counter_mod.history)
counter_mod.reset()
print(counter_mod.count, counter_mod.history)
counter_mod.count = 100
print(increment(), counter_mod.count)
