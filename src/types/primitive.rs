//! The primitive types a resource page names (`String`, `Int32`,
//! `DateTimeOffset`, `Edm.Guid`, ...) and the check of a JSON value against
//! one. The formats are those of OData JSON Format 4.01 §7.1 (numbers,
//! IEEE754Compatible strings for Int64 and Decimal, `NaN`/`INF` for
//! floating point) and of the Edm primitive types in CSDL 4.01 §4.4
//! (ISO 8601 dates, times and durations, GUIDs, base64url binaries).

use crate::json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Prim {
    String,
    Boolean,
    /// Integer of this many bits, signed (`Byte` is unsigned: see `Prim::Byte`).
    Int(u8),
    Byte,
    Double,
    Decimal,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Guid,
    Binary,
    /// `Stream`, `Json`, untyped: anything goes.
    Any,
}

impl Prim {
    /// The primitive a type cell names (`Int32`, `Edm.String`, `string (url)`, `int`).
    pub fn parse(name: &str) -> Option<Prim> {
        // `trim_matches('`')` by bytes (a char searcher at both ends cost
        // more than the rest: this runs for every type cell, every JSON
        // representation member and every string value checked).
        let name = name.trim();
        let bytes = name.as_bytes();
        let start = bytes.iter().position(|&b| b != b'`').unwrap_or(bytes.len());
        let end = bytes
            .iter()
            .rposition(|&b| b != b'`')
            .map_or(start, |at| at + 1);
        let name = &name[start..end];
        // "string (url)", "String (readonly)": the words in brackets qualify.
        let bytes = name.as_bytes();
        let cut = memchr::memchr_iter(b'(', bytes)
            .find(|&at| at > 0 && bytes[at - 1] == b' ')
            .map_or(name.len(), |at| at - 1);
        let name = name[..cut].trim();
        let name = name
            .strip_prefix("Edm.")
            .or_else(|| name.strip_prefix("edm."))
            .unwrap_or(name);
        // Type names are short: lower-cased on the stack and compared as
        // bytes (the names are ASCII: no other text matches either way).
        if name.len() > 16 {
            return None;
        }
        let mut buf = [0u8; 16];
        for (b, c) in buf.iter_mut().zip(name.bytes()) {
            *b = c.to_ascii_lowercase();
        }
        Some(match &buf[..name.len()] {
            b"string" | b"url" | b"uri" => Prim::String,
            b"boolean" | b"bool" => Prim::Boolean,
            b"int16" => Prim::Int(16),
            b"int32" | b"int" | b"integer" => Prim::Int(32),
            b"int64" | b"long" => Prim::Int(64),
            b"sbyte" => Prim::Int(8),
            b"byte" => Prim::Byte,
            b"double" | b"single" | b"float" => Prim::Double,
            b"decimal" => Prim::Decimal,
            b"datetimeoffset" | b"datetime" | b"timestamp" => Prim::DateTimeOffset,
            b"date" => Prim::Date,
            b"timeofday" => Prim::TimeOfDay,
            b"duration" => Prim::Duration,
            b"guid" => Prim::Guid,
            b"binary" => Prim::Binary,
            b"stream" | b"json" | b"untyped" | b"object" => Prim::Any,
            _ => return None,
        })
    }

    /// The name messages use.
    pub fn name(self) -> &'static str {
        match self {
            Prim::String => "String",
            Prim::Boolean => "Boolean",
            Prim::Int(16) => "Int16",
            Prim::Int(8) => "SByte",
            Prim::Int(64) => "Int64",
            Prim::Int(_) => "Int32",
            Prim::Byte => "Byte",
            Prim::Double => "Double",
            Prim::Decimal => "Decimal",
            Prim::DateTimeOffset => "DateTimeOffset",
            Prim::Date => "Date",
            Prim::TimeOfDay => "TimeOfDay",
            Prim::Duration => "Duration",
            Prim::Guid => "Guid",
            Prim::Binary => "Binary",
            Prim::Any => "Stream",
        }
    }

    /// The JSON kind a value of this type has: `string`, `boolean`,
    /// `number`, or `None` when several are allowed.
    pub fn json_kind(self) -> Option<&'static str> {
        match self {
            Prim::Boolean => Some("boolean"),
            Prim::Int(64) | Prim::Decimal | Prim::Double | Prim::Any => None,
            Prim::Int(_) | Prim::Byte => Some("number"),
            _ => Some("string"),
        }
    }

    /// Why `value` is not of this type, or `None` when it is. `null` is
    /// always accepted: nullability is the service's business, and pages
    /// rarely say which properties cannot be null.
    pub fn check(self, value: &Value) -> Option<String> {
        match (self, value) {
            (_, Value::Null) | (Prim::Any, _) => None,
            (Prim::String, Value::String(_)) => None,
            (Prim::Boolean, Value::Bool(_)) => None,
            (Prim::Int(bits), Value::Number(raw, _)) => int_in_range(raw, bits),
            // IEEE754Compatible=true sends Int64 as a string.
            (Prim::Int(64), Value::String(s)) => int_in_range(s, 64),
            (Prim::Byte, Value::Number(raw, _)) => match raw.parse::<u8>() {
                Ok(_) => None,
                Err(_) => Some("a Byte is an integer from 0 to 255".into()),
            },
            (Prim::Double | Prim::Decimal, Value::Number(..)) => None,
            (Prim::Double, Value::String(s)) if matches!(s.as_str(), "NaN" | "INF" | "-INF") => {
                None
            }
            (Prim::Decimal, Value::String(s)) if is_decimal(s) => None,
            (Prim::DateTimeOffset, Value::String(s)) => (!is_date_time_offset(s)).then(|| {
                "not an ISO 8601 date-time with a time zone (such as 2021-04-01T12:00:00Z)".into()
            }),
            (Prim::Date, Value::String(s)) => {
                (!is_date(s)).then(|| "not an ISO 8601 date (such as 2021-04-01)".into())
            }
            (Prim::TimeOfDay, Value::String(s)) => {
                (!is_time_of_day(s)).then(|| "not a time of day (such as 08:30:00)".into())
            }
            (Prim::Duration, Value::String(s)) => {
                (!is_duration(s)).then(|| "not an ISO 8601 duration (such as PT1H30M)".into())
            }
            (Prim::Guid, Value::String(s)) => {
                (!is_guid(s)).then(|| "not a GUID (8-4-4-4-12 hexadecimal digits)".into())
            }
            (Prim::Binary, Value::String(s)) => {
                (!is_base64(s)).then(|| "not base64 (RFC 4648)".into())
            }
            (_, Value::Invalid(_)) => None,
            (p, v) => Some(format!(
                "a JSON {} where {} takes {}",
                v.kind(),
                p.name(),
                match p.json_kind() {
                    Some("number") => "a number",
                    Some("boolean") => "true or false",
                    Some(_) => "a string",
                    None if p == Prim::Int(64) => "a number (or a string of digits)",
                    None => "a number",
                }
            )),
        }
    }
}

fn int_in_range(raw: &str, bits: u8) -> Option<String> {
    let (min, max) = match bits {
        8 => (i8::MIN as i128, i8::MAX as i128),
        16 => (i16::MIN as i128, i16::MAX as i128),
        32 => (i32::MIN as i128, i32::MAX as i128),
        _ => (i64::MIN as i128, i64::MAX as i128),
    };
    let name = Prim::Int(bits).name();
    match raw.parse::<i128>() {
        Ok(n) if (min..=max).contains(&n) => None,
        Ok(_) => Some(format!("out of the range of {name} ({min} to {max})")),
        Err(_) => Some(format!("{name} takes a whole number")),
    }
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let mut parts = s.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next().unwrap_or("0");
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DD` with a month 01-12 and a day 01-31.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(&s[..4], 4)
        && digits(&s[5..7], 2)
        && digits(&s[8..], 2)
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..].parse::<u8>().unwrap_or(0))
}

/// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fffffff`.
pub fn is_time_of_day(s: &str) -> bool {
    let (main, frac) = s.split_once('.').unwrap_or((s, "0"));
    let parts: Vec<&str> = main.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| digits(p, 2))
        && parts[0].parse::<u8>().is_ok_and(|h| h < 24)
        && parts[1].parse::<u8>().is_ok_and(|m| m < 60)
        && parts
            .get(2)
            .is_none_or(|sec| sec.parse::<u8>().is_ok_and(|x| x < 60))
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DDThh:mm[:ss[.f+]](Z|±hh:mm)`: Edm.DateTimeOffset needs its zone.
pub fn is_date_time_offset(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (clock, zone_ok) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, true)
    } else if let Some(at) = time.rfind(['+', '-']) {
        let zone = &time[at + 1..];
        let ok = match zone.split_once(':') {
            Some((h, m)) => digits(h, 2) && digits(m, 2),
            None => digits(zone, 4) || digits(zone, 2),
        };
        (&time[..at], ok)
    } else {
        (time, false)
    };
    zone_ok && is_time_of_day(clock)
}

/// `[-]P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]` with at least one part.
pub fn is_duration(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let parts = |text: &str, units: &str, frac_ok: bool| -> Option<usize> {
        let mut count = 0;
        let mut number = String::new();
        let mut allowed = units;
        for c in text.chars() {
            if c.is_ascii_digit() || (frac_ok && c == '.' && !number.is_empty()) {
                number.push(c);
            } else {
                let at = allowed.find(c)?;
                if number.is_empty() || number.ends_with('.') {
                    return None;
                }
                if number.contains('.') && c != 'S' {
                    return None;
                }
                allowed = &allowed[at + 1..];
                number.clear();
                count += 1;
            }
        }
        number.is_empty().then_some(count)
    };
    let Some(date_parts) = parts(date, "YMWD", false) else {
        return false;
    };
    match time {
        Some(t) => parts(t, "HMS", true).is_some_and(|n| n > 0),
        None => date_parts > 0,
    }
}

/// 8-4-4-4-12 hexadecimal digits, with or without braces.
pub fn is_guid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s);
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Base64 or base64url (RFC 4648 §4 and §5), padding optional.
pub fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'))
        && body.len() % 4 != 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Prim::parse`] as first written (char trims, a lower-cased `str`
    /// matched): the definition the byte-wise one is tested against.
    fn parse_by_definition(name: &str) -> Option<Prim> {
        let name = name.trim().trim_matches('`');
        let cut = name
            .as_bytes()
            .windows(2)
            .position(|w| w == b" (")
            .unwrap_or(name.len());
        let name = name[..cut].trim();
        let name = name
            .strip_prefix("Edm.")
            .or_else(|| name.strip_prefix("edm."))
            .unwrap_or(name);
        if name.len() > 16 {
            return None;
        }
        let lower = name.to_ascii_lowercase();
        [
            "string",
            "url",
            "uri",
            "boolean",
            "bool",
            "int16",
            "int32",
            "int",
            "integer",
            "int64",
            "long",
            "sbyte",
            "byte",
            "double",
            "single",
            "float",
            "decimal",
            "datetimeoffset",
            "datetime",
            "timestamp",
            "date",
            "timeofday",
            "duration",
            "guid",
            "binary",
            "stream",
            "json",
            "untyped",
            "object",
        ]
        .contains(&lower.as_str())
        .then(|| Prim::parse(&lower))
        .flatten()
    }

    #[test]
    fn parse_by_bytes_is_parse_by_definition() {
        let names = [
            "String",
            "`Int32`",
            "``Edm.Guid`",
            "edm.STRING",
            "Edm.",
            "`",
            "``",
            "",
            " ",
            "String (timestamp)",
            "string(url)",
            " ( ",
            "(x)",
            "`String` (x)",
            "`String (x)`",
            "DateTimeOffset",
            "DateTimeOffsetX",
            "İnt32",
            "Int32\u{a0}",
            "\u{3000}Int64",
            "timeofday (hh:mm)",
            "Stream ",
            "Contoso",
            "2021-04-01T12:00:00Z",
            "Edm.Edm.String",
        ];
        for n in names {
            assert_eq!(Prim::parse(n), parse_by_definition(n), "{n:?}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(Prim::parse("Edm.Int32"), Some(Prim::Int(32)));
        assert_eq!(Prim::parse("string (url)"), Some(Prim::String));
        assert_eq!(Prim::parse("`DateTimeOffset`"), Some(Prim::DateTimeOffset));
        assert_eq!(Prim::parse("emailAddress"), None);
    }

    #[test]
    fn formats() {
        assert!(is_date_time_offset("2021-04-01T12:00:00Z"));
        assert!(is_date_time_offset("2017-05-29T07:21:42.1425234+02:00"));
        assert!(!is_date_time_offset("2017-05-29T07:21:42"));
        assert!(!is_date_time_offset("2017-13-29T07:21:42Z"));
        assert!(is_date("2020-02-29"));
        assert!(!is_date("2020-2-29"));
        assert!(is_duration("PT1H30M"));
        assert!(is_duration("P1D"));
        assert!(is_duration("-PT0.5S"));
        assert!(!is_duration("PT"));
        assert!(!is_duration("1 hour"));
        assert!(is_time_of_day("08:30:00.0000000"));
        assert!(!is_time_of_day("8:30"));
        assert!(is_guid("e811976d-83df-4cbd-8b9b-5215b18aa874"));
        assert!(!is_guid("e811976d83df4cbd8b9b5215b18aa874"));
        assert!(is_base64("aGVsbG8="));
        assert!(!is_base64("hello world"));
    }

    #[test]
    fn values() {
        let n = |s: &str| Value::Number(s.into(), s.parse().unwrap_or(0.0));
        assert_eq!(Prim::Int(32).check(&n("42")), None);
        assert!(Prim::Int(32).check(&n("3000000000")).is_some());
        assert!(Prim::Int(32).check(&n("1.5")).is_some());
        assert_eq!(
            Prim::Int(64).check(&Value::String("3000000000".into())),
            None
        );
        assert!(Prim::Boolean
            .check(&Value::String("yes-please".into()))
            .is_some());
        assert_eq!(Prim::String.check(&Value::Null), None);
        assert_eq!(Prim::Double.check(&Value::String("NaN".into())), None);
    }
}
