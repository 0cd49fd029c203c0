error case: the loop opened on line 3 is never closed; the VM must report the
unmatched bracket on standard error and exit with status 2 without running
+[>++++++++[<++++++++>-]<.
