/* A stand-in for the AOT backend's output, written by hand against docs/runtime-abi.md: it
 * defines vmkit_entry, vmkit_type_table, vmkit_type_count and a static Str, roots its
 * references in shadow-stack slots as generated code does, and exercises the runtime through
 * its exported functions. Linked with libvmkit_runtime.a by tests/link.rs. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct Obj Obj;
typedef struct {
    uint32_t size, nrefs;
    const uint32_t *ref_offsets;
} TypeInfo;

extern Obj **vmkit_shadow_top, **vmkit_shadow_limit;
extern uintptr_t vmkit_stack_limit;
Obj *vmkit_new(uint32_t type_id);
void vmkit_fatal(const uint8_t *msg, uint64_t len);
void vmkit_stack_overflow(void);
void vmkit_write_barrier(Obj *o);
uint64_t vmkit_str_len(Obj *s);
Obj *vmkit_str_concat(Obj *a, Obj *b);
Obj *vmkit_str_repeat(Obj *s, uint64_t n);
Obj *vmkit_str_from_i64(int64_t x);
Obj *vmkit_str_from_f64(double x);
bool vmkit_str_parse_i64(Obj *s, int64_t *out);
bool vmkit_str_eq(Obj *a, Obj *b);
uint64_t vmkit_str_hash(Obj *s);
Obj *vmkit_list_new(uint32_t width, uint64_t refmask, uint64_t capacity);
uint64_t vmkit_list_len(Obj *l);
void vmkit_list_get(Obj *l, uint64_t i, uint64_t *out);
void vmkit_list_push(Obj *l, const uint64_t *val);
void vmkit_list_get(Obj *l, uint64_t i, uint64_t *out);
Obj *vmkit_map_new(uint32_t kw, uint64_t km, uint32_t vw, uint64_t vm, uint32_t kind,
                   uint64_t (*hash)(const uint64_t *),
                   bool (*eq)(const uint64_t *, const uint64_t *));
bool vmkit_map_insert(Obj *m, const uint64_t *key, const uint64_t *val, uint64_t *old);
bool vmkit_map_get(Obj *m, const uint64_t *key, uint64_t *out);
void vmkit_print(Obj *s);
void vmkit_eprint(Obj *s);
void vmkit_write_byte(uint8_t b);
void vmkit_flush(void);
double vmkit_f64_powi(double x, int32_t n);
void vmkit_host_call(const uint8_t *name, uint64_t name_len, const uint8_t *kinds,
                     const uint64_t *args, uint32_t nargs, uint8_t ret_kind, uint64_t *ret);

/* Node { value: i64 @ 8, next: Ref @ 16, name: Ref @ 24 } */
static const uint32_t node_refs[] = {16, 24};
const TypeInfo vmkit_type_table[] = {{32, 2, node_refs}};
const uint32_t vmkit_type_count = 1;
/* No JIT: empty JIT tables (see docs/runtime-abi.md). */
const uint8_t vmkit_jit_program[8] = {0};
const uint64_t vmkit_jit_program_len = 0;
const uint64_t vmkit_jit_helpers[1] = {0};
const uint64_t vmkit_jit_nhelpers = 0;
const char vmkit_jit_triple[] = "";
/* No `#[vmkit::ffi_callback]` function. */
const void *vmkit_ffi_handler = 0;

/* A static string in read-only data: the collector must neither free nor write it. */
static const struct {
    uint32_t type_id, flags;
    uint64_t len;
    char bytes[6];
} hello = {1, 2, 6, {'h', 'e', 'l', 'l', 'o', ' '}};
#define HELLO ((Obj *)&hello)

#define FIELD(o, off, T) (*(T *)((char *)(o) + (off)))

static Obj *arg(Obj *args, uint64_t i) {
    uint64_t w;
    vmkit_list_get(args, i, &w);
    return (Obj *)(uintptr_t)w;
}

static bool arg_is(Obj *args, uint64_t i, const char *text) {
    Obj *a = arg(args, i);
    uint64_t n = vmkit_str_len(a);
    return n == strlen(text) && memcmp((char *)a + 16, text, n) == 0;
}

int64_t vmkit_entry(Obj *args) {
    /* Frame: 4 slots. */
    Obj **base = vmkit_shadow_top;
    vmkit_shadow_top = base + 4;
    if (vmkit_shadow_top > vmkit_shadow_limit) vmkit_stack_overflow();
    memset(base, 0, 4 * sizeof(Obj *));
    base[0] = args;
    char here;
    if (vmkit_stack_limit == 0 || vmkit_stack_limit >= (uintptr_t)&here) return 99;

    uint64_t nargs = vmkit_list_len(args);
    if (nargs > 0 && arg_is(args, 0, "fatal")) {
        vmkit_print(HELLO);
        vmkit_fatal((const uint8_t *)"assertion failed", 16);
    }
    if (nargs > 0 && arg_is(args, 0, "oom")) {
        Obj *l = vmkit_list_new(1, 1, 0);
        base[1] = l;
        for (;;) {
            uint64_t w = (uint64_t)(uintptr_t)vmkit_str_repeat(HELLO, 1000);
            vmkit_list_push(l, &w);
        }
    }
    if (nargs > 0 && arg_is(args, 0, "host")) {
        uint8_t kinds[1] = {2};
        uint64_t a[1] = {1}, r;
        vmkit_host_call((const uint8_t *)"no_such_host_fn", 15, kinds, a, 1, 2, &r);
        return 97;
    }
    if (nargs > 0 && arg_is(args, 0, "deep")) {
        for (;;) {
            Obj **b = vmkit_shadow_top;
            vmkit_shadow_top = b + 64;
            if (vmkit_shadow_top > vmkit_shadow_limit) vmkit_stack_overflow();
        }
    }

    /* A linked list of nodes, rooted only through its head. */
    const int64_t N = nargs > 0 && arg_is(args, 0, "small") ? 300 : 3000;
    for (int64_t i = 0; i < N; i++) {
        Obj *n = vmkit_new(16);
        base[2] = n;
        Obj *name = vmkit_str_from_i64(i);
        vmkit_write_barrier(n);
        FIELD(n, 8, int64_t) = i;
        FIELD(n, 16, Obj *) = base[1];
        FIELD(n, 24, Obj *) = name;
        base[1] = n;
        base[2] = 0;
        vmkit_str_repeat(HELLO, 20); /* garbage */
    }
    int64_t ok = 0;
    for (Obj *n = base[1]; n; n = FIELD(n, 16, Obj *)) {
        int64_t v;
        if (vmkit_str_parse_i64(FIELD(n, 24, Obj *), &v) && v == FIELD(n, 8, int64_t)) ok++;
    }

    /* A map from strings to strings. */
    Obj *m = vmkit_map_new(1, 1, 1, 1, 1, 0, 0);
    base[2] = m;
    for (int64_t i = 0; i < 500; i++) {
        uint64_t k = (uint64_t)(uintptr_t)vmkit_str_from_i64(i % 100);
        base[3] = (Obj *)(uintptr_t)k;
        uint64_t v = (uint64_t)(uintptr_t)vmkit_str_from_i64(i);
        vmkit_map_insert(m, &k, &v, 0);
    }
    base[3] = 0;
    uint64_t k = (uint64_t)(uintptr_t)vmkit_str_from_i64(42), v = 0;
    if (!vmkit_map_get(m, &k, &v)) return 98;

    for (uint64_t i = 0; i < nargs; i++) {
        vmkit_print(vmkit_str_concat(HELLO, arg(args, i)));
        vmkit_write_byte('\n');
    }
    vmkit_print(vmkit_str_from_i64(ok));
    vmkit_write_byte(' ');
    vmkit_print((Obj *)(uintptr_t)v);
    vmkit_write_byte(' ');
    vmkit_print(vmkit_str_from_f64(vmkit_f64_powi(0.5, 3)));
    vmkit_write_byte('\n');
    vmkit_eprint(HELLO);

    vmkit_shadow_top = base;
    return 40 + (int64_t)nargs;
}
