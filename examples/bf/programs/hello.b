hello world for the vmkit BF VM
prints the classic greeting and a newline

cell 0 is a loop counter set to 10 and each pass adds
7 to cell 1 and 10 to cell 2 and 11 to cell 3 and 3 to cell 4 and 9 to cell 5
which leaves 70 and 100 and 110 and 30 and 90
++++++++++
[
    >+++++++
    >++++++++++
    >+++++++++++
    >+++
    >+++++++++
    <<<<<-
]
>++.                    cell 1 gets 72 which is H
>+.                     cell 2 gets 101 which is e
>--..                   cell 3 gets 108 which is l twice
+++.                    cell 3 gets 111 which is o
>++++++++++++++.        cell 4 gets 44 which is a comma
------------.           cell 4 gets 32 which is a space
>---.                   cell 5 gets 87 which is W
<<.                     cell 3 still holds 111 which is o
+++.                    cell 3 gets 114 which is r
------.                 cell 3 gets 108 which is l
--------.               cell 3 gets 100 which is d
>+.                     cell 4 gets 33 which is an exclamation mark
<<<<++++++++++.         cell 0 is back to 0 and gets 10 which is a newline
