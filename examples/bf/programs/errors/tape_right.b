error case: walks right setting every cell to 1 until it runs off the right end of
the tape; the VM must stop with a fatal error (status 101) and a message on standard error
+[>+]
