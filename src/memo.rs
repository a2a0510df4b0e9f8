//! What a thread made of a text, kept for the next time it meets the same
//! text: pages repeat their annotations, and each translation of a page
//! shows its source's example bodies byte for byte (read one after the
//! other, `discover::beside_namesakes`). Where what is made is a function
//! of the text alone, a repeat costs a look-up and an `Arc` clone, not a
//! parse and its allocations, and the pages that live on hold one tree a
//! text, not one a place.
//!
//! Keyed by foldhash, seeded per map, and compared whole: a page could
//! write texts that collide in an unseeded hash (issue 13). Bounded: past
//! its bound a memo starts over, and a text longer than its `longest` is
//! made but not kept (it is seldom a repeat, and would crowd out the
//! rest). A hand-written map, not a caching crate's: the look-up is by
//! `&str` into `Box<str>` keys with a per-entry cost of the key's length,
//! and starting over (rather than evicting one by one) is all the pages'
//! order needs.

use std::sync::Arc;

/// What each kept entry counts against the bound besides its text: a
/// bound on the number of short entries.
pub(crate) const ENTRY_BYTES: usize = 64;
/// The room made at the start, a key per this many bytes of the bound:
/// the map grown from nothing re-hashed every key at each doubling.
const ROOM_PER_KEY: usize = 256;

/// The values made of the texts a thread met last.
pub(crate) struct Memo<V> {
    by_text: foldhash::HashMap<Box<str>, Arc<V>>,
    /// What the kept entries count against the bound: each text's length
    /// and [`ENTRY_BYTES`].
    bytes: usize,
    /// The longest text kept.
    longest: usize,
}

impl<V> Memo<V> {
    /// An empty memo that keeps texts of at most `longest` bytes.
    pub(crate) fn new(longest: usize) -> Self {
        Memo {
            by_text: foldhash::HashMap::default(),
            bytes: 0,
            longest,
        }
    }

    /// What `make` makes of `text`: made now, or kept from the last time,
    /// within `bound` bytes (see [`Memo::bytes`]).
    pub(crate) fn get(&mut self, text: &str, bound: usize, make: impl FnOnce(&str) -> V) -> Arc<V> {
        if text.len() > self.longest {
            return Arc::new(make(text));
        }
        if let Some(known) = self.by_text.get(text) {
            return Arc::clone(known);
        }
        let cost = text.len() + ENTRY_BYTES;
        if self.bytes + cost > bound {
            self.by_text.clear();
            self.bytes = 0;
        }
        if self.by_text.capacity() == 0 {
            self.by_text.reserve(bound / ROOM_PER_KEY);
        }
        let made = Arc::new(make(text));
        self.by_text.insert(text.into(), Arc::clone(&made));
        self.bytes += cost;
        made
    }

    /// How many entries are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.by_text.len()
    }

    /// Is `text` kept?
    #[cfg(test)]
    pub(crate) fn holds(&self, text: &str) -> bool {
        self.by_text.contains_key(text)
    }
}

/// Asserts that `memo` stays within `bound` however many distinct texts
/// it is asked for (`text(i)`, made by `make` and held to `made` by
/// `check`): the bytes it counts are its entries' texts and
/// [`ENTRY_BYTES`] each and never more than the bound, a repeat is the
/// value made the first time, past the bound it starts over, and a text
/// longer than its longest is made each time and not kept. The memos'
/// users run it with their own bounds and values.
#[cfg(test)]
pub(crate) fn assert_stays_within<V>(
    memo: &mut Memo<V>,
    bound: usize,
    text: impl Fn(usize) -> String,
    make: impl Fn(&str) -> V,
    check: impl Fn(usize, &V),
) {
    let mut most = 0;
    for i in 0..3 * bound / ENTRY_BYTES {
        let t = text(i);
        let made = memo.get(&t, bound, &make);
        check(i, &made);
        assert!(Arc::ptr_eq(&made, &memo.get(&t, bound, &make)));
        assert!(memo.bytes <= bound, "{} > {bound}", memo.bytes);
        let counted: usize = memo.by_text.keys().map(|k| k.len() + ENTRY_BYTES).sum();
        assert_eq!(memo.bytes, counted);
        most = most.max(memo.len());
    }
    assert!(most <= bound / ENTRY_BYTES);
    assert!(memo.len() < most, "never started over");
    let long = text(0) + &" ".repeat(memo.longest);
    let before = memo.len();
    assert!(!Arc::ptr_eq(
        &memo.get(&long, bound, &make),
        &memo.get(&long, bound, &make)
    ));
    assert_eq!(memo.len(), before);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeat_is_the_value_made_the_first_time() {
        let mut memo = Memo::new(100);
        let mut made = 0;
        let a = memo.get("abc", 1000, |t| {
            made += 1;
            t.len()
        });
        let b = memo.get("abc", 1000, |t| {
            made += 1;
            t.len()
        });
        assert_eq!(made, 1);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(*a, 3);
        assert_eq!(memo.bytes, 3 + ENTRY_BYTES);
    }

    #[test]
    fn the_kept_entries_stay_within_the_bound() {
        let mut memo = Memo::new(100);
        let text = |i| format!("text {i}");
        assert_stays_within(&mut memo, 10 * ENTRY_BYTES, text, str::len, |i, &n| {
            assert_eq!(n, text(i).len())
        });
        // The last one made is kept; the first ones are not.
        assert!(memo.holds(&text(3 * 10 - 1)));
        assert!(!memo.holds(&text(0)));
    }

    #[test]
    fn a_text_longer_than_the_longest_kept_is_made_each_time() {
        let mut memo = Memo::new(4);
        let mut made = 0;
        for _ in 0..2 {
            memo.get("abcde", 1000, |_| made += 1);
        }
        assert_eq!(made, 2);
        assert_eq!(memo.len(), 0);
        memo.get("abcd", 1000, |_| made += 1);
        assert!(memo.holds("abcd"));
    }
}
