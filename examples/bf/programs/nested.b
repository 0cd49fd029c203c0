nested loops test

part 1: two levels; a triangle of stars with rows of 1 to 5 stars
cells: 0 rows left; 1 row length; 2 stars left in the row; 3 star; 4 newline; 5 temp
>>>>++++++[<+++++++>-]          cell 3 gets 6 times 7 which is 42 (star)
++++++++++                      cell 4 gets 10 (newline)
<<<<+++++                       cell 0 gets 5 rows
[
    >+                          the row gets one star longer
    [>+>>>+<<<<-]               copy the row length into cells 2 and 5
    >>>>[<<<<+>>>>-]            move cell 5 back into cell 1
    <<<[>.<-]                   print cell 2 stars
    >>.                         newline
    <<<<-                       one row less
]

part 2: three levels; 3 lines of 4 groups of 2 hashes each closed by a bar
cells: 6 lines left; 7 groups left; 8 hashes left; 9 hash; 10 bar; 11 newline
>>>>>>>>>>>+++++[<<+++++++>+++++++++++++++++++++++++>-]    cells 9 and 10 get 35 and 125
<-                              cell 10 gets 124 (bar)
>++++++++++                     cell 11 gets 10 (newline)
<<<<<+++                        cell 6 gets 3 lines
[
    >++++                       4 groups
    [
        >++                     2 hashes
        [>.<-]
        >>.                     bar
        <<<-
    ]
    >>>>.                       newline
    <<<<<-
]

part 3: loops that must be skipped as a whole with their nested loops; a VM
that matches brackets wrongly prints extra bytes or stops early
[>+++[>.<-][[-]>>.<<]]          cell 6 is 0 so all this is skipped
>>>>>>+[>[[>.<]>>.[<]]<-]       cell 12 is 1 so the loop runs once; its inner loop on cell 13 is skipped
>+++[[[[[-]]]]]                 cell 13 gets 3; the innermost loop clears it; the others exit at once

part 4: prints ok and a newline
>++++++++++[>+++++++++++>+++++++++++<<-]    cells 15 and 16 get 110
>+.                             111 is o
>---.                           107 is k
<<<<<<<<<<<<.                   the newline in cell 4
