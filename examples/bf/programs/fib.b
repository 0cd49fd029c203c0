number printer: the Fibonacci numbers that fit in a cell (1 1 2 3 5 and so on up
to 233) in decimal; one per line

cells: 0 numbers left; 1 a; 2 b; 3 temp; 5 to 12 the printing area P0 to P7
+++++++++++++                   13 numbers
>+>+<<                          a and b are 1
[
    >[->>+>>+<<<<]              copy a into cell 3 and P0
    >>[-<<+>>]                  move cell 3 back into a
    >>                          at P0

    print P0 in decimal; P0 to P7 are all 0 afterwards
    divmod by 10: P1 counts the tens while P2 counts down from 10 to 0 and
    restarts at 10 (an if/else on P2 using P3 as the else marker and P4 as a 0)
    >>++++++++++<<
    [->>->+<[>-]>[<++++++++++<+>>->]<<<<]
    ++++++++++>>[-<<->>]<<      P0 is 10 minus P2 which is the ones digit
    >[->>>>>+>+<<<<<<]          copy P1 (the number over 10) into P6 and P7
    >>>>>>[-<<<<<<+>>>>>>]      move P7 back into P1
    <<<<<<                      at P1: the same divmod one cell further
    >>++++++++++<<
    [->>->+<[>-]>[<++++++++++<+>>->]<<<<]
    ++++++++++>>[-<<->>]<<      P1 is the tens digit and P2 the hundreds digit
    >[++++++++++++++++++++++++++++++++++++++++++++++++.[-]]
                                hundreds digit if not 0
    >>>>[[-]<<<<<++++++++++++++++++++++++++++++++++++++++++++++++.[-]>>>>>]
                                tens digit if the number is at least 10 (P6 not 0)
    <<<<<<++++++++++++++++++++++++++++++++++++++++++++++++.[-]
                                ones digit
    ++++++++++.[-]              newline

    <<<<                        at a; next pair: a b becomes b then a plus b
    [->>+<<]                    move a into cell 3
    >[-<+>>+<]                  move b into a and cell 3
    >[-<+>]                     move cell 3 into b
    <<<-                        one number less
]
