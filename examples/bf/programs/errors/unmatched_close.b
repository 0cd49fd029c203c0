error case: a closing bracket without an opening one on line 3; the VM must
report it on standard error and exit with status 2 without printing anything
++++++++[>++++++++<-]>+.]
