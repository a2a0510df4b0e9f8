//! What the resource-type model adds to `check`: the corpus is read once
//! (as `check` reads it), then `Model::build` and `types::check` run
//! `RUNS` times each on all cores and the best and median wall times are
//! printed. `check` pays exactly these two after reading the pages.
//!
//!   cargo bench --bench types              (CORPUS=../shared/corpus, RUNS=30)

use std::path::PathBuf;
use std::time::Instant;

use exemplar::discover::{self, DiscoverOptions};
use exemplar::types::{self, Model};

fn main() {
    let corpus =
        PathBuf::from(std::env::var("CORPUS").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus").to_owned()
        }));
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let loaded = match discover::load(std::slice::from_ref(&corpus), &DiscoverOptions::default()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("cannot read {}: {e}", corpus.display());
            std::process::exit(2);
        }
    };
    let mut pages = loaded.pages;
    // `check` drops the parsed bodies once the page rules ran; so do we.
    for page in &mut pages {
        page.forget_json_bodies();
    }
    let mut build = Vec::with_capacity(runs);
    let mut check = Vec::with_capacity(runs);
    let mut total = Vec::with_capacity(runs);
    let mut findings = 0;
    let mut model_types = 0;
    let (mut cpu_build, mut cpu_check) = (0.0, 0.0);
    for _ in 0..runs {
        let c0 = cpu_ms();
        let t0 = Instant::now();
        let model = Model::build(&pages);
        let t1 = Instant::now();
        let c1 = cpu_ms();
        let found = types::check(&pages, &model);
        let t2 = Instant::now();
        cpu_build += c1 - c0;
        cpu_check += cpu_ms() - c1;
        findings = found.len();
        model_types = model.types.len();
        build.push((t1 - t0).as_secs_f64() * 1e3);
        check.push((t2 - t1).as_secs_f64() * 1e3);
        total.push((t2 - t0).as_secs_f64() * 1e3);
    }
    println!(
        "{} pages, {model_types} types, {findings} findings; {} threads; {runs} runs",
        pages.len(),
        rayon::current_num_threads()
    );
    let n = runs as f64;
    for (name, times, cpu) in [
        ("Model::build", build, cpu_build / n),
        ("types::check", check, cpu_check / n),
        ("both", total, (cpu_build + cpu_check) / n),
    ] {
        let mut t = times;
        t.sort_by(f64::total_cmp);
        let median = t[t.len() / 2];
        println!(
            "{name:<14} best {:6.1} ms  median {median:6.1} ms  cpu {cpu:6.1} ms (mean, all threads)",
            t[0]
        );
    }
}

/// CPU time of the process so far (user + system, all threads), from
/// `/proc/self/stat` in clock ticks (100 Hz on Linux); 0 elsewhere. On a
/// shared machine the wall time varies with the neighbours, the CPU time
/// far less.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name, which is in brackets and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime: fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) * 10.0
}
