//! Fault injection for the mock (`--inject 429:0.1`): a share of requests
//! is answered with a status (429 and 503 carry `Retry-After`) or delayed,
//! so that clients' retry and timeout paths can be exercised.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fault {
    Status(u16),
    Delay(Duration),
}

/// The faults the mock injects, each with its share of requests.
#[derive(Debug, Clone, Default)]
pub(crate) struct Injection {
    faults: Vec<(Fault, f64)>,
}

/// One `--inject` value: a fault and the share of requests it answers.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultSpec {
    fault: Fault,
    share: f64,
}

impl std::str::FromStr for FaultSpec {
    type Err = String;

    /// Parses `429:0.1`, `503:0.05`, `delay=200ms:0.1` (or `delay=2s:…`).
    fn from_str(spec: &str) -> Result<FaultSpec, String> {
        let bad = |why: &str| {
            format!(
                "{why}; write STATUS:SHARE (`429:0.1`) or delay=DURATION:SHARE (`delay=200ms:0.1`)"
            )
        };
        let (fault, share) = spec.rsplit_once(':').ok_or_else(|| bad("no share"))?;
        let share: f64 = share
            .parse()
            .ok()
            .filter(|s: &f64| *s > 0.0 && *s <= 1.0)
            .ok_or_else(|| bad("the share is not a number in (0, 1]"))?;
        let fault = match fault.strip_prefix("delay=") {
            Some(d) => Fault::Delay(parse_duration(d).ok_or_else(|| bad("unreadable delay"))?),
            None => Fault::Status(
                fault
                    .parse()
                    .ok()
                    .filter(|s| (400..=599).contains(s))
                    .ok_or_else(|| bad("the status is not a 4xx or 5xx code"))?,
            ),
        };
        Ok(FaultSpec { fault, share })
    }
}

impl Injection {
    /// The faults of every `--inject`, whose shares may add up to 1 at most.
    pub(crate) fn new(specs: &[FaultSpec]) -> Result<Injection, String> {
        let total: f64 = specs.iter().map(|s| s.share).sum();
        if total > 1.0 + f64::EPSILON {
            return Err(format!(
                "--inject: the shares add up to {total}, more than 1"
            ));
        }
        Ok(Injection {
            faults: specs.iter().map(|s| (s.fault.clone(), s.share)).collect(),
        })
    }

    /// Parses and joins `--inject` values (for tests).
    #[cfg(test)]
    pub(crate) fn parse(specs: &[String]) -> Result<Injection, String> {
        let specs = specs
            .iter()
            .map(|s| s.parse())
            .collect::<Result<Vec<FaultSpec>, String>>()?;
        Injection::new(&specs)
    }

    /// The fault for the next request, if it draws one.
    pub(crate) fn pick(&self) -> Option<&Fault> {
        if self.faults.is_empty() {
            return None;
        }
        let mut draw = fastrand::f64();
        for (fault, share) in &self.faults {
            if draw < *share {
                return Some(fault);
            }
            draw -= share;
        }
        None
    }
}

fn parse_duration(s: &str) -> Option<Duration> {
    let (number, unit) = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((s, "ms"), |i| s.split_at(i));
    let n: f64 = number
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        _ => return None,
    };
    Some(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_faults() {
        let i = Injection::parse(&["429:0.25".into(), "delay=200ms:0.5".into()]).unwrap();
        assert_eq!(
            i.faults,
            vec![
                (Fault::Status(429), 0.25),
                (Fault::Delay(Duration::from_millis(200)), 0.5)
            ]
        );
        assert!(Injection::parse(&["200:0.1".into()]).is_err());
        assert!(Injection::parse(&["429:0.7".into(), "503:0.7".into()]).is_err());
        assert!(Injection::parse(&["429".into()]).is_err());
    }

    #[test]
    fn a_full_share_always_fires() {
        let i = Injection::parse(&["503:1".into()]).unwrap();
        assert!((0..100).all(|_| i.pick() == Some(&Fault::Status(503))));
        assert!(Injection::default().pick().is_none());
    }
}
