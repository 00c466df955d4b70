//! Durations as rule files write them (`5m`, `1h`, `14d`) and as they are also found:
//! ISO 8601 (`PT1H`, which ARM uses) and .NET TimeSpan (`01:00:00`, which the Azure-Sentinel
//! validator accepts because it calls `TimeSpan.TryParse` first).

/// How a duration is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationForm {
    /// `<number><m|h|d>`: the rule-file form.
    Short,
    /// ISO 8601, e.g. `PT1H`, `P1D`, `PT1H30M`.
    Iso,
    /// .NET TimeSpan, e.g. `01:00:00`, `1.00:00:00`, or a bare number of days.
    TimeSpan,
}

/// A duration that could be read, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub seconds: u64,
    pub form: DurationForm,
}

impl Duration {
    pub fn minutes(self) -> u64 {
        self.seconds / 60
    }
}

/// Read a duration in any of the three forms.
pub fn parse(s: &str) -> Option<Duration> {
    parse_short(s)
        .map(|seconds| Duration {
            seconds,
            form: DurationForm::Short,
        })
        .or_else(|| {
            parse_iso(s).map(|seconds| Duration {
                seconds,
                form: DurationForm::Iso,
            })
        })
        .or_else(|| {
            parse_timespan(s).map(|seconds| Duration {
                seconds,
                form: DurationForm::TimeSpan,
            })
        })
}

fn parse_short(s: &str) -> Option<u64> {
    let unit = s.chars().last()?;
    let number = &s[..s.len() - unit.len_utf8()];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = number.parse().ok()?;
    let factor = match unit {
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return None,
    };
    n.checked_mul(factor)
}

fn parse_iso(s: &str) -> Option<u64> {
    let rest = s.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total: u64 = 0;
    let mut read = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut number = String::new();
        let mut next_unit = 0;
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let pos = units[next_unit..].iter().position(|(u, _)| *u == c)? + next_unit;
            if number.is_empty() {
                return None;
            }
            total = total.checked_add(number.parse::<u64>().ok()?.checked_mul(units[pos].1)?)?;
            number.clear();
            next_unit = pos + 1;
        }
        number.is_empty().then_some(())
    };
    read(date, &[('W', 604_800), ('D', 86_400)])?;
    if let Some(time) = time {
        read(time, &[('H', 3600), ('M', 60), ('S', 1)])?;
    }
    Some(total)
}

/// `[d.]hh:mm[:ss[.fffffff]]`, or a bare integer meaning days (as .NET reads `5`).
fn parse_timespan(s: &str) -> Option<u64> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<u64>().ok()?.checked_mul(86_400);
    }
    let (days, clock) = match s.split_once('.') {
        Some((d, rest)) if rest.contains(':') && d.bytes().all(|b| b.is_ascii_digit()) => {
            (d.parse::<u64>().ok()?, rest)
        }
        _ => (0, s),
    };
    let mut parts = clock.split(':');
    let hours: u64 = parts.next()?.parse().ok()?;
    let minutes: u64 = parts.next()?.parse().ok()?;
    let seconds: u64 = match parts.next() {
        Some(sec) => sec.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() || hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    Some(days * 86_400 + hours * 3600 + minutes * 60 + seconds)
}

/// The rule-file form of a duration, when it is a whole number of minutes: the largest
/// unit that divides it (`90m` stays `90m`, `120m` becomes `2h`).
pub fn to_short(seconds: u64) -> Option<String> {
    if seconds == 0 || !seconds.is_multiple_of(60) {
        return None;
    }
    Some(if seconds.is_multiple_of(86_400) {
        format!("{}d", seconds / 86_400)
    } else if seconds.is_multiple_of(3600) {
        format!("{}h", seconds / 3600)
    } else {
        format!("{}m", seconds / 60)
    })
}

/// ISO 8601 in the normalized form the Sentinel service returns (`70m` -> `PT1H10M`), so
/// that a deployed rule reads back exactly as it was written.
pub fn to_iso(seconds: u64) -> String {
    let days = seconds / 86_400;
    let hours = seconds % 86_400 / 3600;
    let minutes = seconds % 3600 / 60;
    let secs = seconds % 60;
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if hours > 0 || minutes > 0 || secs > 0 || days == 0 {
        out.push('T');
        if hours > 0 {
            out.push_str(&format!("{hours}H"));
        }
        if minutes > 0 {
            out.push_str(&format!("{minutes}M"));
        }
        if secs > 0 || (hours == 0 && minutes == 0) {
            out.push_str(&format!("{secs}S"));
        }
    }
    out
}

/// A duration for messages: `5 minutes`, `1 hour`, `14 days`.
pub fn describe(seconds: u64) -> String {
    let (n, unit) = if seconds.is_multiple_of(86_400) && seconds > 0 {
        (seconds / 86_400, "day")
    } else if seconds.is_multiple_of(3600) && seconds > 0 {
        (seconds / 3600, "hour")
    } else if seconds.is_multiple_of(60) {
        (seconds / 60, "minute")
    } else {
        (seconds, "second")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> Option<(u64, DurationForm)> {
        parse(s).map(|d| (d.seconds, d.form))
    }

    #[test]
    fn forms() {
        assert_eq!(secs("5m"), Some((300, DurationForm::Short)));
        assert_eq!(secs("14d"), Some((1_209_600, DurationForm::Short)));
        assert_eq!(secs("PT1H"), Some((3600, DurationForm::Iso)));
        assert_eq!(secs("P1D"), Some((86_400, DurationForm::Iso)));
        assert_eq!(secs("PT1H30M"), Some((5400, DurationForm::Iso)));
        assert_eq!(secs("P1DT12H"), Some((129_600, DurationForm::Iso)));
        assert_eq!(secs("01:00:00"), Some((3600, DurationForm::TimeSpan)));
        assert_eq!(secs("1.00:00:00"), Some((86_400, DurationForm::TimeSpan)));
        assert_eq!(secs("5"), Some((432_000, DurationForm::TimeSpan)));
        for bad in [
            "",
            "1H",
            "1w",
            "1d12h",
            "30min",
            "PT",
            "P",
            "PTH",
            "24h with 4h bins",
            "m",
        ] {
            assert_eq!(secs(bad), None, "{bad}");
        }
    }

    #[test]
    fn writing() {
        assert_eq!(to_short(3600).as_deref(), Some("1h"));
        assert_eq!(to_short(5400).as_deref(), Some("90m"));
        assert_eq!(to_short(86_400 * 2).as_deref(), Some("2d"));
        assert_eq!(to_short(30), None);
        assert_eq!(to_iso(4200), "PT1H10M");
        assert_eq!(to_iso(86_400), "P1D");
        assert_eq!(to_iso(129_600), "P1DT12H");
        assert_eq!(to_iso(300), "PT5M");
        assert_eq!(describe(300), "5 minutes");
        assert_eq!(describe(3600), "1 hour");
    }
}
