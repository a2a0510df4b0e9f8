//! Tables of bytes, built at compile time: where every byte of a text is
//! tested against a set (the block scanner's prose bytes, an HTTP token's
//! characters, the bytes that stop a path's scan), one lookup a byte beats
//! a chain of comparisons.

/// A table of every byte: `listed` for the bytes in `bytes`, the opposite
/// for the rest.
pub(crate) const fn byte_table(bytes: &[u8], listed: bool) -> [bool; 256] {
    let mut table = [!listed; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = listed;
        i += 1;
    }
    table
}
