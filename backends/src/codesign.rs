//! Ad-hoc code signatures with entitlements for thin 64-bit Mach-O executables, written
//! without Apple's tools.
//!
//! `ld64.lld` ad-hoc signs arm64 output, but without entitlements. A binary built with the
//! hardened runtime needs the `com.apple.security.cs.allow-jit` entitlement to map `MAP_JIT`
//! memory (the JIT's code memory on arm64 macOS), so [`sign`] replaces the linker's signature
//! with one of its own: an embedded-signature SuperBlob (magic `0xfade0cc0`) holding
//!
//! - a CodeDirectory (version `0x20400`): SHA-256 hashes of every 4 KiB page of the file up to
//!   the signature (`codeLimit`), five special slots (slot 2: the hash of the Requirements
//!   blob, slot 5: the hash of the Entitlements blob, the others zero), the `CS_ADHOC` flag
//!   (plus `CS_RUNTIME` for the hardened runtime), the identifier, and the executable segment
//!   (`execSegBase`/`execSegLimit` of `__TEXT`, `CS_EXECSEG_MAIN_BINARY`);
//! - an empty Requirements blob (`0xfade0c01`), as ad-hoc signatures have;
//! - an Entitlements blob (`0xfade7171`) holding an XML property list.
//!
//! All blob fields are big-endian. The `LC_CODE_SIGNATURE` load command and the `__LINKEDIT`
//! segment are resized for the new data, which replaces the old at the same file offset (the
//! end of the file); the header page is hashed after those edits. [`parse`] reads such a
//! signature back (used by the tests to check the page hashes of both lld's and our
//! signatures). Nothing here can run the result: whether macOS accepts it needs a Mac
//! (`codesign -dv --entitlements - <file>`).

use std::path::Path;

/// The entitlement that lets a hardened-runtime process map `MAP_JIT` memory.
pub const ALLOW_JIT: &str = "com.apple.security.cs.allow-jit";

pub const CSMAGIC_EMBEDDED_SIGNATURE: u32 = 0xfade_0cc0;
pub const CSMAGIC_CODEDIRECTORY: u32 = 0xfade_0c02;
pub const CSMAGIC_REQUIREMENTS: u32 = 0xfade_0c01;
pub const CSMAGIC_EMBEDDED_ENTITLEMENTS: u32 = 0xfade_7171;
pub const CSSLOT_CODEDIRECTORY: u32 = 0;
pub const CSSLOT_REQUIREMENTS: u32 = 2;
pub const CSSLOT_ENTITLEMENTS: u32 = 5;
pub const CS_ADHOC: u32 = 0x2;
pub const CS_RUNTIME: u32 = 0x1_0000;
pub const CS_EXECSEG_MAIN_BINARY: u64 = 0x1;
pub const CS_HASHTYPE_SHA256: u8 = 2;
const CD_VERSION_EXECSEG: u32 = 0x20400;
/// Size of a CodeDirectory header of version 0x20400.
const CD_HEADER: usize = 88;
const PAGE_SHIFT: u8 = 12;
const HASH: usize = 32;
/// Special slots: info plist (1), requirements (2), resource dir (3), application (4),
/// entitlements (5).
const SPECIAL_SLOTS: usize = 5;

const MH_MAGIC_64: u32 = 0xfeed_facf;
const LC_SEGMENT_64: u32 = 0x19;
const LC_CODE_SIGNATURE: u32 = 0x1d;
/// Segment alignment of __LINKEDIT's vmsize (arm64 pages, also a multiple of x86-64's).
const SEGMENT_PAGE: u64 = 0x4000;

/// What to sign with.
#[derive(Clone, Debug)]
pub struct SignOptions<'a> {
    /// The CodeDirectory identifier (usually the executable's name).
    pub identifier: &'a str,
    /// Boolean entitlements set to true (e.g. [`ALLOW_JIT`]).
    pub entitlements: &'a [&'a str],
    /// Sets `CS_RUNTIME` (the hardened runtime, as `codesign -o runtime`).
    pub hardened_runtime: bool,
}

/// The XML property list of `entitlements`, each set to `<true/>`.
pub fn entitlements_plist(entitlements: &[&str]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n",
    );
    for e in entitlements {
        s.push_str(&format!("\t<key>{e}</key>\n\t<true/>\n"));
    }
    s.push_str("</dict>\n</plist>\n");
    s
}

fn le32(d: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(d[at..at + 4].try_into().expect("4 bytes"))
}
fn le64(d: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(d[at..at + 8].try_into().expect("8 bytes"))
}
fn be32(d: &[u8], at: usize) -> Result<u32, String> {
    d.get(at..at + 4)
        .map(|b| u32::from_be_bytes(b.try_into().expect("4 bytes")))
        .ok_or_else(|| format!("signature truncated at {at}"))
}
fn be64(d: &[u8], at: usize) -> Result<u64, String> {
    d.get(at..at + 8)
        .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
        .ok_or_else(|| format!("signature truncated at {at}"))
}

/// Where the relevant load commands of a thin Mach-O 64 file are.
struct Layout {
    /// Offset of the LC_CODE_SIGNATURE command.
    sig_cmd: usize,
    dataoff: u32,
    /// Offset of the __LINKEDIT LC_SEGMENT_64 command, its fileoff.
    linkedit_cmd: usize,
    linkedit_fileoff: u64,
    /// __TEXT's fileoff and filesize.
    text: (u64, u64),
}

fn layout(d: &[u8]) -> Result<Layout, String> {
    if d.len() < 32 || le32(d, 0) != MH_MAGIC_64 {
        return Err("not a thin 64-bit little-endian Mach-O file".into());
    }
    let ncmds = le32(d, 16) as usize;
    let sizeofcmds = le32(d, 20) as usize;
    if 32 + sizeofcmds > d.len() {
        return Err("load commands run past the end of the file".into());
    }
    let (mut sig, mut linkedit, mut text) = (None, None, None);
    let mut at = 32;
    for _ in 0..ncmds {
        if at + 8 > 32 + sizeofcmds {
            return Err("malformed load commands".into());
        }
        let (cmd, size) = (le32(d, at), le32(d, at + 4) as usize);
        if size < 8 || at + size > 32 + sizeofcmds {
            return Err("malformed load command".into());
        }
        match cmd {
            LC_CODE_SIGNATURE => sig = Some((at, le32(d, at + 8))),
            LC_SEGMENT_64 => {
                let name = &d[at + 8..at + 24];
                let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(16)];
                match name {
                    b"__LINKEDIT" => linkedit = Some((at, le64(d, at + 40))),
                    b"__TEXT" => text = Some((le64(d, at + 40), le64(d, at + 48))),
                    _ => {}
                }
            }
            _ => {}
        }
        at += size;
    }
    let (sig_cmd, dataoff) = sig.ok_or("no LC_CODE_SIGNATURE (is this an arm64 slice?)")?;
    let (linkedit_cmd, linkedit_fileoff) = linkedit.ok_or("no __LINKEDIT segment")?;
    Ok(Layout {
        sig_cmd,
        dataoff,
        linkedit_cmd,
        linkedit_fileoff,
        text: text.ok_or("no __TEXT segment")?,
    })
}

fn blob(magic: u32, payload: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(8 + payload.len());
    b.extend(magic.to_be_bytes());
    b.extend((8 + payload.len() as u32).to_be_bytes());
    b.extend(payload);
    b
}

/// Replaces the code signature of the thin Mach-O executable `data` (which must have one, as
/// lld writes for arm64) with an ad-hoc signature carrying `opts`' entitlements.
pub fn sign_bytes(data: &mut Vec<u8>, opts: &SignOptions) -> Result<(), String> {
    let l = layout(data)?;
    let code_limit = l.dataoff as usize;
    let old_end = code_limit + le32(data, l.sig_cmd + 12) as usize;
    if old_end != data.len() || l.linkedit_fileoff as usize > code_limit {
        return Err("the code signature is not the end of __LINKEDIT and of the file".into());
    }
    // Blobs whose contents do not depend on the file.
    let requirements = blob(CSMAGIC_REQUIREMENTS, &0u32.to_be_bytes());
    let entitlements = blob(
        CSMAGIC_EMBEDDED_ENTITLEMENTS,
        entitlements_plist(opts.entitlements).as_bytes(),
    );
    let page = 1usize << PAGE_SHIFT;
    let ncode = code_limit.div_ceil(page);
    let ident_len = opts.identifier.len() + 1;
    let hash_offset = CD_HEADER + ident_len + SPECIAL_SLOTS * HASH;
    let cd_len = hash_offset + ncode * HASH;
    let nblobs = 3;
    let super_header = 12 + 8 * nblobs;
    let sig_len = super_header + cd_len + requirements.len() + entitlements.len();
    let datasize = sig_len.next_multiple_of(16);

    // The load commands first: the header page is hashed with its final contents.
    data.truncate(code_limit);
    data[l.sig_cmd + 12..l.sig_cmd + 16].copy_from_slice(&(datasize as u32).to_le_bytes());
    let filesize = (code_limit + datasize) as u64 - l.linkedit_fileoff;
    let vmsize = filesize.next_multiple_of(SEGMENT_PAGE);
    data[l.linkedit_cmd + 32..l.linkedit_cmd + 40].copy_from_slice(&vmsize.to_le_bytes());
    data[l.linkedit_cmd + 48..l.linkedit_cmd + 56].copy_from_slice(&filesize.to_le_bytes());

    let mut flags = CS_ADHOC;
    if opts.hardened_runtime {
        flags |= CS_RUNTIME;
    }
    let mut cd = Vec::with_capacity(cd_len);
    for w in [
        CSMAGIC_CODEDIRECTORY,
        cd_len as u32,
        CD_VERSION_EXECSEG,
        flags,
        hash_offset as u32,
        CD_HEADER as u32, // identOffset
        SPECIAL_SLOTS as u32,
        ncode as u32,
        code_limit as u32,
    ] {
        cd.extend(w.to_be_bytes());
    }
    cd.extend([HASH as u8, CS_HASHTYPE_SHA256, 0, PAGE_SHIFT]); // hashSize, hashType, platform, pageSize
    for w in [0u32, 0, 0, 0] {
        cd.extend(w.to_be_bytes()); // spare2, scatterOffset, teamOffset, spare3
    }
    for w in [0u64, l.text.0, l.text.1, CS_EXECSEG_MAIN_BINARY] {
        cd.extend(w.to_be_bytes()); // codeLimit64, execSegBase, execSegLimit, execSegFlags
    }
    debug_assert_eq!(cd.len(), CD_HEADER);
    cd.extend(opts.identifier.as_bytes());
    cd.push(0);
    // Special slots -5 .. -1, in that order in memory.
    for slot in (1..=SPECIAL_SLOTS as u32).rev() {
        let h = match slot {
            CSSLOT_REQUIREMENTS => sha256(&requirements),
            CSSLOT_ENTITLEMENTS => sha256(&entitlements),
            _ => [0; HASH],
        };
        cd.extend(h);
    }
    for p in data[..code_limit].chunks(page) {
        cd.extend(sha256(p));
    }
    debug_assert_eq!(cd.len(), cd_len);

    let mut sig = Vec::with_capacity(datasize);
    sig.extend(CSMAGIC_EMBEDDED_SIGNATURE.to_be_bytes());
    sig.extend((sig_len as u32).to_be_bytes());
    sig.extend((nblobs as u32).to_be_bytes());
    let mut off = super_header;
    for (slot, b) in [
        (CSSLOT_CODEDIRECTORY, &cd),
        (CSSLOT_REQUIREMENTS, &requirements),
        (CSSLOT_ENTITLEMENTS, &entitlements),
    ] {
        sig.extend(slot.to_be_bytes());
        sig.extend((off as u32).to_be_bytes());
        off += b.len();
    }
    sig.extend(&cd);
    sig.extend(&requirements);
    sig.extend(&entitlements);
    sig.resize(datasize, 0);
    data.extend(sig);
    Ok(())
}

/// [`sign_bytes`] on a file, in place.
pub fn sign(exe: &Path, opts: &SignOptions) -> Result<(), String> {
    let mut data = std::fs::read(exe).map_err(|e| format!("cannot read {}: {e}", exe.display()))?;
    sign_bytes(&mut data, opts).map_err(|e| format!("{}: {e}", exe.display()))?;
    std::fs::write(exe, data).map_err(|e| format!("cannot write {}: {e}", exe.display()))
}

/// Signs the thin arm64 executable `exe` in place for the hardened runtime with the
/// [`ALLOW_JIT`] entitlement (identifier: the file name), so that the JIT may map `MAP_JIT`
/// memory under the hardened runtime. For a universal2 binary, sign the arm64 slice before
/// merging. A Developer ID signature (`codesign -s <id> -o runtime --entitlements ...`)
/// replaces this one anyway.
pub fn sign_hardened_jit(exe: &Path) -> Result<(), String> {
    let name = exe
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "a.out".into());
    sign(
        exe,
        &SignOptions {
            identifier: &name,
            entitlements: &[ALLOW_JIT],
            hardened_runtime: true,
        },
    )
}

/// A code signature read back from a thin Mach-O file.
#[derive(Clone, Debug)]
pub struct Signature {
    pub magic: u32,
    /// (slot type, blob magic, blob bytes) of every blob of the SuperBlob.
    pub blobs: Vec<(u32, u32, Vec<u8>)>,
    pub cd_version: u32,
    pub cd_flags: u32,
    pub identifier: String,
    pub code_limit: u64,
    pub page_shift: u8,
    pub hash_type: u8,
    /// Hashes of special slots 1..=n (index 0 is slot 1).
    pub special: Vec<Vec<u8>>,
    /// Hashes of the code pages.
    pub pages: Vec<Vec<u8>>,
    pub exec_seg: Option<(u64, u64, u64)>,
}

impl Signature {
    /// The bytes of the blob in `slot`.
    pub fn blob(&self, slot: u32) -> Option<&[u8]> {
        self.blobs
            .iter()
            .find(|b| b.0 == slot)
            .map(|b| b.2.as_slice())
    }

    /// Checks every page hash against `file` (SHA-256 pages up to `code_limit`) and the
    /// special slots against the blobs present; returns the first mismatch.
    pub fn verify(&self, file: &[u8]) -> Result<(), String> {
        if self.hash_type != CS_HASHTYPE_SHA256 {
            return Err(format!("hash type {} is not SHA-256", self.hash_type));
        }
        let page = 1usize << self.page_shift;
        let limit = self.code_limit as usize;
        if limit > file.len() {
            return Err("code limit past the end of the file".into());
        }
        let n = limit.div_ceil(page);
        if self.pages.len() != n {
            return Err(format!("{} page hashes for {n} pages", self.pages.len()));
        }
        for (i, (p, h)) in file[..limit].chunks(page).zip(&self.pages).enumerate() {
            if sha256(p)[..] != h[..] {
                return Err(format!("page {i} hash mismatch"));
            }
        }
        for slot in [CSSLOT_REQUIREMENTS, CSSLOT_ENTITLEMENTS] {
            if let (Some(b), Some(h)) = (self.blob(slot), self.special.get(slot as usize - 1)) {
                if sha256(b)[..] != h[..] {
                    return Err(format!("special slot {slot} hash mismatch"));
                }
            }
        }
        Ok(())
    }
}

/// Reads the code signature of the thin Mach-O file `file`.
pub fn parse(file: &[u8]) -> Result<Signature, String> {
    let l = layout(file)?;
    let datasize = le32(file, l.sig_cmd + 12) as usize;
    let start = l.dataoff as usize;
    let d = file
        .get(start..start + datasize)
        .ok_or("signature data past the end of the file")?;
    let magic = be32(d, 0)?;
    let count = be32(d, 8)? as usize;
    let mut blobs = Vec::new();
    for i in 0..count {
        let slot = be32(d, 12 + 8 * i)?;
        let off = be32(d, 16 + 8 * i)? as usize;
        let bmagic = be32(d, off)?;
        let len = be32(d, off + 4)? as usize;
        let b = d
            .get(off..off + len)
            .ok_or("blob past the end of the signature")?;
        blobs.push((slot, bmagic, b.to_vec()));
    }
    let cd = &blobs
        .iter()
        .find(|b| b.0 == CSSLOT_CODEDIRECTORY && b.1 == CSMAGIC_CODEDIRECTORY)
        .ok_or("no CodeDirectory")?
        .2;
    let version = be32(cd, 8)?;
    let hash_offset = be32(cd, 16)? as usize;
    let ident_offset = be32(cd, 20)? as usize;
    let nspecial = be32(cd, 24)? as usize;
    let ncode = be32(cd, 28)? as usize;
    let hash_size = *cd.get(36).ok_or("short CodeDirectory")? as usize;
    let ident = cd.get(ident_offset..).ok_or("bad identOffset")?;
    let ident = &ident[..ident
        .iter()
        .position(|&b| b == 0)
        .ok_or("unterminated identifier")?];
    let hash = |k: isize| -> Result<Vec<u8>, String> {
        let at = hash_offset as isize + k * hash_size as isize;
        usize::try_from(at)
            .ok()
            .and_then(|at| cd.get(at..at + hash_size))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| format!("hash slot {k} out of the CodeDirectory"))
    };
    Ok(Signature {
        magic,
        cd_version: version,
        cd_flags: be32(cd, 12)?,
        identifier: String::from_utf8_lossy(ident).into_owned(),
        code_limit: be32(cd, 32)? as u64,
        hash_type: *cd.get(37).ok_or("short CodeDirectory")?,
        page_shift: *cd.get(39).ok_or("short CodeDirectory")?,
        special: (1..=nspecial as isize)
            .map(|s| hash(-s))
            .collect::<Result<_, _>>()?,
        pages: (0..ncode as isize).map(hash).collect::<Result<_, _>>()?,
        exec_seg: if version >= CD_VERSION_EXECSEG {
            Some((be64(cd, 64)?, be64(cd, 72)?, be64(cd, 80)?))
        } else {
            None
        },
        blobs,
    })
}

/// SHA-256 (FIPS 180-4).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend(((data.len() as u64) * 8).to_be_bytes());
    let mut w = [0u32; 64];
    for block in msg.chunks(64) {
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes(word.try_into().expect("4 bytes"));
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha256_known_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(&sha256(&vec![b'a'; 1_000_000])),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }
}
