def main():
    return "guarded main ran"
VALUE = 99
if __name__ == "__main__":
    print("this must not print when imported")
else:
    print("guarded_mod imported as", __name__)
