//! Tables of bytes, built at compile time: where every byte of a text is
//! tested against a set (the block scanner's prose bytes, an HTTP token's
//! characters, the bytes that stop a path's scan), one lookup a byte beats
//! a chain of comparisons. And the one test of an ASCII byte for white
//! space as `char::is_whitespace` has it, for the readers that decide ASCII
//! text by its bytes.

/// `char::is_whitespace` of an ASCII byte: space and `\t`..=`\r` (with
/// vertical tab, which `u8::is_ascii_whitespace` leaves out).
#[inline]
pub(crate) fn is_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn a_space_is_what_char_is_whitespace_says_of_every_ascii_byte() {
        for b in 0..=0x7f_u8 {
            assert_eq!(
                super::is_space(b),
                char::from(b).is_whitespace(),
                "{b:#04x}"
            );
        }
    }
}
