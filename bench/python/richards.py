# An operating-system-like task scheduler in the style of Richards: six tasks
# (idle, worker, two handlers, two devices) of different priorities exchange
# packets through linked queues; the scheduler always runs the runnable task
# of highest priority. Object-oriented: virtual calls, attribute access,
# linked lists. Usage: richards.py [iterations]
import sys

IDLE, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = range(6)
KIND_DEVICE, KIND_WORK = 0, 1
DATA_SIZE = 4


class Packet:
    def __init__(self, link, dest, kind):
        self.link = link
        self.dest = dest
        self.kind = kind
        self.datum = 0
        self.data = [0] * DATA_SIZE

    def append_to(self, queue):
        """Append self to the end of the queue; returns the new queue head."""
        self.link = None
        if queue is None:
            return self
        last = queue
        while last.link is not None:
            last = last.link
        last.link = self
        return queue


class Task:
    def __init__(self, sched, ident, priority, queue, waiting):
        self.sched = sched
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.pending = queue is not None
        self.waiting = waiting
        self.held = False
        self.next = None
        sched.add(self)

    def blocked(self):
        return self.held or (self.waiting and not self.pending)

    def take_packet(self):
        pkt = self.queue
        self.queue = pkt.link
        self.pending = self.queue is not None
        self.waiting = False
        return pkt

    def receive(self, pkt):
        """A packet arrives; returns True when the task becomes runnable."""
        if self.queue is None:
            self.queue = pkt
            self.pending = True
            return True
        self.queue = pkt.append_to(self.queue)
        return False

    def run(self, pkt):
        raise NotImplementedError


class IdleTask(Task):
    def __init__(self, sched, count):
        super().__init__(sched, IDLE, 0, None, False)
        self.seed = 1
        self.count = count

    def run(self, pkt):
        self.count -= 1
        if self.count == 0:
            return self.sched.hold_self()
        if self.seed & 1 == 0:
            self.seed >>= 1
            return self.sched.release(DEVICE_A)
        self.seed = (self.seed >> 1) ^ 0xD008
        return self.sched.release(DEVICE_B)


class WorkerTask(Task):
    def __init__(self, sched, queue):
        super().__init__(sched, WORKER, 1000, queue, True)
        self.dest = HANDLER_A
        self.letter = 0

    def run(self, pkt):
        if pkt is None:
            return self.sched.wait()
        self.dest = HANDLER_B if self.dest == HANDLER_A else HANDLER_A
        pkt.dest = self.dest
        pkt.datum = 0
        for i in range(DATA_SIZE):
            self.letter = (self.letter + 1) % 26
            pkt.data[i] = 65 + self.letter
        return self.sched.send(pkt)


class HandlerTask(Task):
    def __init__(self, sched, ident, priority, queue):
        super().__init__(sched, ident, priority, queue, True)
        self.work = None
        self.devices = None

    def run(self, pkt):
        if pkt is not None:
            if pkt.kind == KIND_WORK:
                self.work = pkt.append_to(self.work)
            else:
                self.devices = pkt.append_to(self.devices)
        work = self.work
        if work is None:
            return self.sched.wait()
        if work.datum >= DATA_SIZE:
            self.work = work.link
            return self.sched.send(work)
        dev = self.devices
        if dev is None:
            return self.sched.wait()
        self.devices = dev.link
        dev.datum = work.data[work.datum]
        work.datum += 1
        return self.sched.send(dev)


class DeviceTask(Task):
    def __init__(self, sched, ident, priority):
        super().__init__(sched, ident, priority, None, True)
        self.stored = None

    def run(self, pkt):
        if pkt is None:
            stored = self.stored
            if stored is None:
                return self.sched.wait()
            self.stored = None
            return self.sched.send(stored)
        self.stored = pkt
        self.sched.output(pkt.datum)
        return self.sched.hold_self()


class Scheduler:
    def __init__(self):
        self.by_id = [None] * 6
        self.head = None
        self.current = None
        self.sends = 0
        self.holds = 0
        self.checksum = 0

    def add(self, task):
        """Insert a task into the run list, highest priority first."""
        self.by_id[task.ident] = task
        if self.head is None or task.priority > self.head.priority:
            task.next = self.head
            self.head = task
            return
        t = self.head
        while t.next is not None and t.next.priority >= task.priority:
            t = t.next
        task.next = t.next
        t.next = task

    def output(self, value):
        self.checksum = (self.checksum * 31 + value) % 1000000007

    def release(self, ident):
        t = self.by_id[ident]
        t.held = False
        if t.priority > self.current.priority:
            return t
        return self.current

    def hold_self(self):
        self.holds += 1
        self.current.held = True
        return self.current.next

    def wait(self):
        self.current.waiting = True
        return self.current

    def send(self, pkt):
        target = self.by_id[pkt.dest]
        self.sends += 1
        pkt.link = None
        pkt.dest = self.current.ident
        if target.receive(pkt) and target.priority > self.current.priority:
            return target
        return self.current

    def run(self):
        t = self.head
        while t is not None:
            if t.blocked():
                t = t.next
                continue
            self.current = t
            pkt = t.take_packet() if t.waiting and t.pending else None
            t = t.run(pkt)


def run_once(count):
    s = Scheduler()
    IdleTask(s, count)
    work = Packet(None, WORKER, KIND_WORK)
    work = Packet(work, WORKER, KIND_WORK)
    WorkerTask(s, work)
    for ident, device, prio in ((HANDLER_A, DEVICE_A, 2000),
                                (HANDLER_B, DEVICE_B, 3000)):
        q = Packet(None, device, KIND_DEVICE)
        q = Packet(q, device, KIND_DEVICE)
        q = Packet(q, device, KIND_DEVICE)
        HandlerTask(s, ident, prio, q)
    DeviceTask(s, DEVICE_A, 4000)
    DeviceTask(s, DEVICE_B, 5000)
    s.run()
    return s.sends, s.holds, s.checksum


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    total = [0, 0, 0]
    for i in range(iterations):
        sends, holds, checksum = run_once(10000 + 100 * i)
        total[0] += sends
        total[1] += holds
        total[2] = (total[2] + checksum) % 1000000007
        if i < 3:
            print(f"run {i}: sends={sends} holds={holds} checksum={checksum}")
    print("total sends=%d holds=%d checksum=%d" % tuple(total))


main()
