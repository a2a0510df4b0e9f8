//! Where a run's time went, for the benches and for whoever profiles:
//! with `EXEMPLAR_TIMINGS` set, a command prints to standard error how
//! long each stage took, as it ends. Unset (the usual case), a mark costs
//! one load of a flag read once.

use std::sync::OnceLock;
use std::time::Instant;

/// The variable that switches the timings on.
pub(crate) const TIMINGS: &str = "EXEMPLAR_TIMINGS";

/// Whether the timings are on (read once a process).
pub(crate) fn on() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os(TIMINGS).is_some())
}

/// When the first clock of the process started: each mark says how far
/// into the run it fell.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Stages of a command that follow each other: each [`Stages::mark`] prints
/// the time since the one before it (or since [`Stages::start`]) and since
/// the first clock of the process, when the timings are on.
pub(crate) struct Stages {
    command: &'static str,
    last: Instant,
}

impl Stages {
    /// Starts a clock of `command`'s stages.
    pub(crate) fn start(command: &'static str) -> Stages {
        let now = Instant::now();
        STARTED.get_or_init(|| now);
        Stages { command, last: now }
    }

    /// The stage `what` ended now.
    pub(crate) fn mark(&mut self, what: &str) {
        if !on() {
            return;
        }
        let now = Instant::now();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        eprintln!(
            "exemplar: {}: {what}: {:.1} ms (at {:.1} ms)",
            self.command,
            ms(now - self.last),
            ms(now - *STARTED.get_or_init(|| now))
        );
        self.last = now;
    }
}

/// Prints how long `f` took as a part of `command`'s current stage (a part
/// that runs beside another, which [`Stages::mark`] cannot tell apart).
pub(crate) fn part<R>(command: &'static str, what: &str, f: impl FnOnce() -> R) -> R {
    if !on() {
        return f();
    }
    let started = Instant::now();
    let out = f();
    eprintln!(
        "exemplar: {command}:   {what}: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    out
}
