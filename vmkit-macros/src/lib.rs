//! Attribute macros of the vmkit DSL.
//!
//! The hint attributes (`elidable`, `unroll_safe`, `dont_look_inside`, `loop_invariant`,
//! `virtualizable`, `entry`) leave their item unchanged: they exist so the interpreter compiles with
//! plain rustc, and the translator reads them from the source. `host` keeps the function and also
//! registers a wrapper in `vmkit::host::HOST_FUNCTIONS`; `ffi_callback` keeps the function and
//! registers it in `vmkit::ffi::FFI_CALLBACK_HANDLERS`.

use proc_macro::TokenStream;
use quote::{format_ident, quote};

macro_rules! passthrough {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        #[proc_macro_attribute]
        pub fn $name(_attr: TokenStream, item: TokenStream) -> TokenStream {
            item
        }
    )*};
}

passthrough!(
    /// A pure function: same arguments, same result, no visible effects. The JIT folds calls with
    /// constant arguments and never traces inside.
    elidable,
    /// A function with loops the JIT may trace through (it unrolls them).
    unroll_safe,
    /// The JIT never traces inside this function; it calls it.
    dont_look_inside,
    /// The result depends only on state that does not change inside a loop: computed once per loop.
    loop_invariant,
    /// A struct whose `Mut` fields live in registers inside traces (see `JitDriver::virtualizables`).
    virtualizable,
    /// The program entry: `fn(args: GcList<Str>) -> i64`, returning the exit status.
    entry
);

/// The function C callbacks call (`vmkit::ffi::callback`):
/// `fn(ctx: Gc<T>, id: i64, ints: GcArray<i64>, floats: GcArray<f64>) -> i64`. Untranslated, a
/// wrapper is registered in `vmkit::ffi::FFI_CALLBACK_HANDLERS`; the translator exports the
/// function to the runtime.
#[proc_macro_attribute]
pub fn ffi_callback(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let func = match syn::parse::<syn::ItemFn>(item.clone()) {
        Ok(f) => f,
        Err(e) => return e.to_compile_error().into(),
    };
    let name = &func.sig.ident;
    let ctx_ty = match func.sig.inputs.first() {
        Some(syn::FnArg::Typed(pt)) if func.sig.inputs.len() == 4 => pt.ty.clone(),
        _ => {
            return syn::Error::new_spanned(
                &func.sig,
                "an ffi_callback function takes (ctx: Gc<T>, id: i64, ints: GcArray<i64>, floats: GcArray<f64>)",
            )
            .to_compile_error()
            .into()
        }
    };
    let wrapper = format_ident!("__vmkit_ffi_callback_wrapper_{}", name);
    let reg = format_ident!("__VMKIT_FFI_CALLBACK_{}", name.to_string().to_uppercase());
    let expanded = quote! {
        #func

        #[doc(hidden)]
        #[allow(non_snake_case)]
        fn #wrapper(ctx: *const (), id: i64, ints: ::vmkit::GcArray<i64>, floats: ::vmkit::GcArray<f64>) -> i64 {
            // SAFETY: `ctx` is the address of the `Gc` passed to `vmkit::ffi::callback`,
            // whose type the translator checks against this function's first parameter.
            let ctx: #ctx_ty = unsafe { ::vmkit::Gc::from_raw(ctx) };
            #name(ctx, id, ints, floats)
        }

        #[doc(hidden)]
        #[::vmkit::__private::linkme::distributed_slice(::vmkit::ffi::FFI_CALLBACK_HANDLERS)]
        #[linkme(crate = ::vmkit::__private::linkme)]
        #[allow(non_upper_case_globals)]
        static #reg: fn(*const (), i64, ::vmkit::GcArray<i64>, ::vmkit::GcArray<f64>) -> i64 = #wrapper;
    };
    expanded.into()
}

/// A host function: ordinary Rust, called from DSL code, never translated. See `vmkit::host`.
#[proc_macro_attribute]
pub fn host(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let func = match syn::parse::<syn::ItemFn>(item.clone()) {
        Ok(f) => f,
        Err(e) => return e.to_compile_error().into(),
    };
    let name = &func.sig.ident;
    let name_str = name.to_string();
    let wrapper = format_ident!("__vmkit_host_wrapper_{}", name);
    let reg = format_ident!("__VMKIT_HOST_REG_{}", name_str.to_uppercase());
    let mut conversions = Vec::new();
    for (i, input) in func.sig.inputs.iter().enumerate() {
        match input {
            syn::FnArg::Typed(pt) => {
                let ty = &pt.ty;
                conversions.push(quote! { <#ty as ::vmkit::host::HostType>::from_host(args[#i]) });
            }
            syn::FnArg::Receiver(r) => {
                return syn::Error::new_spanned(r, "a host function cannot take `self`")
                    .to_compile_error()
                    .into();
            }
        }
    }
    let nargs = conversions.len();
    let expanded = quote! {
        #func

        #[doc(hidden)]
        #[allow(non_snake_case)]
        fn #wrapper(args: &[::vmkit::host::HostVal]) -> ::vmkit::host::HostVal {
            assert_eq!(args.len(), #nargs, "host function `{}`: wrong number of arguments", #name_str);
            ::vmkit::host::HostType::to_host(#name(#(#conversions),*))
        }

        #[doc(hidden)]
        #[::vmkit::__private::linkme::distributed_slice(::vmkit::host::HOST_FUNCTIONS)]
        #[linkme(crate = ::vmkit::__private::linkme)]
        #[allow(non_upper_case_globals)]
        static #reg: ::vmkit::host::HostFn = ::vmkit::host::HostFn { name: #name_str, call: #wrapper };
    };
    expanded.into()
}
