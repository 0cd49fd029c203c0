Sierpinski triangle: the first 32 rows of Pascal's triangle modulo 2 with a
star for an odd entry and a space for an even one

The row is an array of 4 cell groups (m v a b): m is 1 for every entry of the
row; v is the entry (0 or 1); a and b are temps; a group with m equal to 0
ends the array on both sides (the left one is the sentinel group at cells 1 to 4)
The next row is made in place: append an entry 0 then walk from right to left
and replace every v by v xor the v of the group to its left

cells: 0 rows left; 1 to 4 the sentinel group; 5 on the array
++++++++++++++++++++++++++++++++            32 rows
>>>>>+>+<<<<<<                              the first row is a single 1
[
    >>>>>                                   at the m of the first group
    [                                       print the row
        >[->+>+<<]>>[-<<+>>]                copy v into a (b is the temp)
        ++++++++++++++++++++++++++++++++    b is 32 (space)
        <[->++++++++++<]                    plus 10 (star) if a
        >.[-]                               write b and clear it
        >                                   at the m of the next group
    ]
    >++++++++++.[-]<                        newline
    +                                       append an entry 0
    [                                       from right to left
        <<<[->>>>>+>+<<<<<<]                copy the v of the left group into a
        >>>>>>[-<<<<<<+>>>>>>]              (b is the temp)
        <[-                                 if a then v becomes 1 minus v
            <[->>+<<]+>>[-<<->>]<           (b is the temp)
        ]
        <<<<<<                              at the m of the left group
    ]
    <-                                      one row less
]
