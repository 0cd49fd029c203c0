error case: moves left of cell 0 after printing A; the VM must print A then stop with a
fatal error (status 101) and a message on standard error
++++++++[>++++++++<-]>+.<<
