//! Counted work, for the tests that pin a linear bound on hostile input
//! (issue 13): the steps of the loops that once went quadratic (bytes
//! searched for a comment's end, members compared for duplicates, examples
//! looked at when pairing, properties looked up when comparing echoes) add
//! to a per-thread counter. A test runs an input of size N and 2N and
//! asserts the ratio of the counts, which, unlike wall time, does not vary
//! with the machine. Outside tests [`add`] compiles to nothing.

#[cfg(test)]
thread_local! {
    static COUNT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Records `n` steps of work.
#[inline(always)]
pub(crate) fn add(n: usize) {
    #[cfg(test)]
    COUNT.with(|c| c.set(c.get() + n as u64));
    #[cfg(not(test))]
    let _ = n;
}

/// Runs `f` and returns its result with the steps it recorded on this thread.
#[cfg(test)]
pub(crate) fn count<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = COUNT.with(std::cell::Cell::get);
    let out = f();
    (out, COUNT.with(std::cell::Cell::get) - before)
}

/// Asserts that doubling the input at most `limit`-folds the work `f` does.
#[cfg(test)]
pub(crate) fn assert_linear(what: &str, n: usize, limit: f64, f: impl Fn(usize) -> u64) {
    let (a, b) = (f(n), f(2 * n));
    let ratio = b as f64 / a.max(1) as f64;
    assert!(
        a > 0 && ratio <= limit,
        "{what}: {a} steps at N = {n}, {b} at 2N: ratio {ratio:.2} > {limit}"
    );
}
