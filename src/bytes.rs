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

/// `0x01` in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `word` (eight bytes read as one number)
/// that equals `b`, and no other bit: exact in every lane (no borrow runs
/// between bytes: the low seven bits are added apart from the high one),
/// for the readers that test eight bytes a step where memchr does not fit.
#[inline(always)]
pub(crate) const fn equal_in_word(word: u64, b: u8) -> u64 {
    const LOW7: u64 = ONES * 0x7F;
    let x = word ^ (ONES * b as u64);
    // A lane's high bit ends up set when it is not zero.
    !(((x & LOW7) + LOW7) | x | LOW7)
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
    /// Every byte value in every lane, among other bytes equal and not:
    /// the word test says what a byte-by-byte comparison does.
    #[test]
    fn a_word_marks_exactly_its_bytes_equal_to_one() {
        for needle in [0u8, b'-', b'"', 0x7f, 0x80, 0xff] {
            for fill in [0u8, needle, needle ^ 1, 0x80, 0xff] {
                for lane in 0..8 {
                    for b in 0..=255u8 {
                        let mut bytes = [fill; 8];
                        bytes[lane] = b;
                        let want = bytes.iter().enumerate().fold(0u64, |m, (i, &x)| {
                            m | (u64::from(x == needle) << (8 * i + 7))
                        });
                        let got = super::equal_in_word(u64::from_le_bytes(bytes), needle);
                        assert_eq!(got, want, "{needle:#04x} in {bytes:?}");
                    }
                }
            }
        }
    }

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
