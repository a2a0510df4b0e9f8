//! When two JSON strings mean the same to a service. Shared by the rule that
//! compares a request with its documented response (`echo-mismatch`) and the
//! comparer that compares a documented response with a real answer.

/// Equal as a service sees it: the same text; enumeration members without
/// regard to case (services accept `Low` and answer `low`); date-times as
/// instants (`15:03:30-07:00` is `22:03:30Z`; trailing zero fractions do not
/// count); a date as the date part of a date-time.
pub fn same_text(x: &str, y: &str) -> bool {
    x == y
        || (is_identifier(x) && x.eq_ignore_ascii_case(y))
        || match (instant(x), instant(y)) {
            (Some(i), Some(j)) => i == j,
            _ => (is_date(x) && y.starts_with(x)) || (is_date(y) && x.starts_with(y)),
        }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `YYYY-MM-DD` (RFC 3339 full-date).
pub fn is_date(s: &str) -> bool {
    is_date_bytes(s.as_bytes())
}

pub fn is_date_bytes(b: &[u8]) -> bool {
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// An ISO 8601 date-time with a zone as (seconds, 100 ns ticks) on one
/// scale (a local time, without a zone, is read as UTC: local times compare
/// with local times); `None` for anything else.
fn instant(s: &str) -> Option<(i64, i64)> {
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = s.get(19..)?;
    let mut ticks = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        rest = &frac[digits.len()..];
        ticks = format!("{digits:0<7}").get(..7)?.parse().ok()?;
    }
    let offset_minutes = match rest {
        // A local time (no zone) compares with local times on the same scale.
        "" => 0,
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = rest[1..].split_once(':')?;
            sign * (h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((
        days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60,
        ticks,
    ))
}
