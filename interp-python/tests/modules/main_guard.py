import guarded_mod
print("main __name__ =", __name__)
print(guarded_mod.main(), guarded_mod.VALUE, guarded_mod.__name__)
def main():
    print("script main() ran")
if __name__ == "__main__":
    main()
