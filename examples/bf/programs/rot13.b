rot13: reads standard input to its end and writes it with every ASCII letter
rotated by 13 places; other bytes pass through unchanged

The rotation is a sum of steps: with c the input byte the output is c
  plus 13 if c is at least 65 (A)
  minus 26 if c is at least 78 (N)
  plus 13 if c is at least 91 (one past Z)
  plus 13 if c is at least 97 (a)
  minus 26 if c is at least 110 (n)
  plus 13 if c is at least 123 (one past z)
The comparisons are chained: x starts as c and each step takes the gap to the
next boundary off x; x stops at 0 and sets a flag when c is below the boundary

cells: 0 c; 1 output; 2 gap counter k; 3 flag f (c below the boundary);
       4 x; 5 else marker e; 6 zero (also a temp while copying c)
Each comparison loop runs k times: take 1 off k and then if x is not 0 take 1
off x else set f (an if/else on x with e set to 1 and cell 6 left at 0)

,[                                      read the first byte (a 0 at end of input stops)
    [->+>>>+>>+<<<<<<]                  copy c into cells 1 and 4 and 6
    >>>>>>[-<<<<<<+>>>>>>]              move cell 6 back into c
    <<<<                                at k

    >++++++++[<++++++++>-]<+            k is 65
    [->>>+<[->-]>[<<[-]+>>->]<<<<]
    <+++++++++++++>>[<<------------->>-]<         add 13 unless the flag is set

    +++++++++++++                       k is 13 (up to 78)
    [->>>+<[->-]>[<<[-]+>>->]<<<<]
    <-------------------------->>[<<++++++++++++++++++++++++++>>-]<

    +++++++++++++                       k is 13 (up to 91)
    [->>>+<[->-]>[<<[-]+>>->]<<<<]
    <+++++++++++++>>[<<------------->>-]<

    ++++++                              k is 6 (up to 97)
    [->>>+<[->-]>[<<[-]+>>->]<<<<]
    <+++++++++++++>>[<<------------->>-]<

    +++++++++++++                       k is 13 (up to 110)
    [->>>+<[->-]>[<<[-]+>>->]<<<<]
    <-------------------------->>[<<++++++++++++++++++++++++++>>-]<

    +++++++++++++                       k is 13 (up to 123)
    [->>>+<[->-]>[<<[-]+>>->]<<<<]
    <+++++++++++++>>[<<------------->>-]<

    >>[-]                               clear what is left of x
    <<<.[-]                             write the output byte and clear it
    <[-],                               clear c and read the next byte
]
