primes up to 100 by naive trial division: the same code as the long running
program primes with the limit 100 instead of 255 (about 2 times 10 to the 7 commands)
for the graph interpreter tests (each n from 2 to 100 is divided by every d below n)

cells: 0 numbers left to test; 1 n; 2 j (divisors left); 3 composite flag;
       4 temp; 5 to 11 W0 to W6 the divisibility test; 5 to 12 also P0 to P7
       the printing area
>+++++++++[<+++++++++++>-]<                                cell 0 gets 9 times 11 which is 99
>++                                 n starts at 2
<
[                                   for each n
    >[->+>>+<<<]>>>[-<<<+>>>]       copy n into j (cell 4 is the temp)
    <<--                            j is n minus 2: the divisors to try are j plus 1 down to 2
    [                               for each divisor d equal to j plus 1
        <[->>>+>+<<<<]>>>[-<<<+>>>] copy n into W0 (cell 4 is the temp)
        <<[->>+>>+>>>+<<<<<<<]>>[-<<+>>]
                                    copy j into W1 and W4 (cell 4 is the temp)
        >>+>>>+                     W1 and W4 are d
        <<<<                        at W0

        W6 gets 1 if d divides n: W1 counts down from d to 0 once per step of W0
        and then reloads from W4; W6 is 1 only if the last step reloaded
        (an if/else on W1 using W2 as the else marker and W3 as a 0)
        [->>>>>>[-]<<<<<->+<[>-]>[<>>>[-<<<+>>>>+<]>[-<+>]>+<<<<<>->]<<<]

        >[-]>>>[-]                  clear W1 and W4
        >>[-<<<<<<<<[-]+>>>>>>>>]   if W6 then n is composite (cell 3)
        <<<<<<<<<-                  next divisor
    ]
    >>+<[[-]>-<]                    cell 4 is 1 if n is prime; clear cell 3
    >[-
        <<<[->+>>>+<<<<]>[-<+>]     copy n into P0 (cell 2 is the temp)
        >>>                         at P0

        print P0 in decimal (the routine of fib)
        >>++++++++++<<
        [->>->+<[>-]>[<++++++++++<+>>->]<<<<]
        ++++++++++>>[-<<->>]<<
        >[->>>>>+>+<<<<<<]>>>>>>[-<<<<<<+>>>>>>]<<<<<<
        >>++++++++++<<
        [->>->+<[>-]>[<++++++++++<+>>->]<<<<]
        ++++++++++>>[-<<->>]<<
        >[++++++++++++++++++++++++++++++++++++++++++++++++.[-]]
        >>>>[[-]<<<<<++++++++++++++++++++++++++++++++++++++++++++++++.[-]>>>>>]
        <<<<<<++++++++++++++++++++++++++++++++++++++++++++++++.[-]
        ++++++++++.[-]              newline

        <                           back at cell 4
    ]
    <<<+                            next n
    <-                              one number less to test
]
