cell wrapping test: every letter printed depends on 8 bit wrap around
in one or both directions; the expected output is ABCDE and a newline
(a VM without wrap prints other bytes or never stops)

A: 0 minus 1 is 255; moving 255 into cell 1 takes 255 passes;
   then 255 plus 66 wraps up to 65
-[->+<]
>++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.

B: 0 minus 19 times 10 is minus 190 which wraps down to 66 (cell 2; counter in cell 3)
>>+++++++++++++++++++[<---------->-]
<.

C: 17 times 19 is 323 which wraps up to 67 (cell 5; counter in cell 4)
>>+++++++++++++++++[>+++++++++++++++++++<-]
>.

D: a loop that only ends because 255 plus 1 wraps to 0:
   cell 6 starts at 1 and each pass adds 1 to cells 6 and 7 so it runs 255 times;
   then cell 7 holds 255 and 255 plus 69 wraps up to 68
>+[+>+<]
>+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.

E: 0 minus 11 times 17 is minus 187 which wraps down to 69 (cell 8; counter in cell 9)
>>+++++++++++[<----------------->-]
<.

255 plus 1 must be exactly 0 and so must 0 minus 1 plus 1; the loops below
must be skipped (they would print question marks and clear the cell)
>>-+[>+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.[-]<[-]]
+-[>+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.[-]<[-]]

newline from cell 12
>>++++++++++.
