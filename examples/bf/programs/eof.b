end of input test: echoes two bytes of input then reads twice more at the end
of input into a cell holding 33 (exclamation mark) which must stay unchanged;
with the two bytes ab as input the output is ab then two exclamation marks and a newline
,.>,.                                       echo two bytes
>+++++++++++++++++++++++++++++++++          33
,.,.                                        end of input: the cell is unchanged
>++++++++++.                                newline
