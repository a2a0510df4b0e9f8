//! Replaying examples: the runner (reqwest on tokio), the built-in mock
//! (hyper) and the structural comparer.

use crate::cli::{MockArgs, RunArgs};
use crate::commands::Fatal;

/// `exemplar run`.
pub fn run(args: &RunArgs) -> Result<u8, Fatal> {
    let _ = args;
    Err(Fatal("run arrives with the replay work".into()))
}

/// `exemplar mock`.
pub fn mock(args: &MockArgs) -> Result<u8, Fatal> {
    let _ = args;
    Err(Fatal("mock arrives with the replay work".into()))
}
