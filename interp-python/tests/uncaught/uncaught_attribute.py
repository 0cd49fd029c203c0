class Node:
    def __init__(self, value, next_node=None):
        self.value = value
        self.next = next_node
chain = Node(1, Node(2, Node(3)))
n = chain
while True:
    print(n.value)
    n = n.next
