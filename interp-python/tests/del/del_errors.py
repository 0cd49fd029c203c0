def attempt(label, thunk):
    try:
        thunk()
        print(label, "ok")
    except Exception as e:
        print(label, type(e).__name__ + ":", e)
def del_missing_key():
    d = {}
    del d["k"]
def del_out_of_range():
    l = [1]
    del l[5]
def del_tuple_item():
    t = (1, 2)
    del t[0]
def del_str_item():
    s = "ab"
    del s[0]
def del_slice_ok():
    l = [1]
    del l[5:10]
attempt("missing key", del_missing_key)
attempt("index", del_out_of_range)
attempt("tuple", del_tuple_item)
attempt("str", del_str_item)
attempt("slice beyond", del_slice_ok)
