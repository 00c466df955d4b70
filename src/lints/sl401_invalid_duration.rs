//! SL401 invalid-duration: a duration that cannot be read at all.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::yaml::Value;

use super::{
    Check, FixAvailability, Lint, RuleContext, Sink, describe_pointer, duration_fields,
    read_duration, replace_scalar,
};

pub static LINT: Lint = Lint {
    code: "SL401",
    name: "invalid-duration",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "A duration (`queryFrequency`, `queryPeriod`, ...) cannot be read",
    docs: r#"## What it does
Checks that `queryFrequency`, `queryPeriod`, `suppressionDuration` and
`incidentConfiguration.groupingConfiguration.lookbackDuration` are durations: a whole
number followed by `m`, `h` or `d` (`5m`, `1h`, `14d`).

## Why is this bad?
The Azure-Sentinel CI fails ("<number><m\h\d> date format is expected"), and converters
produce invalid ARM. Units are lower case; there are no weeks, and units cannot be
combined.

## Example
```yaml
queryFrequency: 30min
queryPeriod: 1d12h
```
Use instead:
```yaml
queryFrequency: 30m
queryPeriod: 36h
```

## Fix
When the value is a number with a spelled-out or upper-case unit (`30min`, `1H`,
`2 days`), the fix writes it in the short form (unsafe: check the value).
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::Rule(check),
};

/// `30min`, `1 hour`, `2D`, `1h10m`, `1w` -> `30m`, `1h`, `2d`, `70m`, `7d`: numbers with
/// spelled-out, upper-case or combined units.
fn guess(s: &str) -> Option<String> {
    let mut rest = s.trim();
    let mut seconds: u64 = 0;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return None;
        }
        let number: u64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        let factor = match rest[..unit_len].to_ascii_lowercase().as_str() {
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 604_800,
            _ => return None,
        };
        seconds = seconds.checked_add(number.checked_mul(factor)?)?;
        rest = rest[unit_len..].trim_start();
    }
    crate::model::duration::to_short(seconds)
}

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for field in duration_fields(ctx.rule_type) {
        let Some(node) = ctx.root.pointer(field.pointer) else {
            continue;
        };
        if read_duration(ctx, node).is_some() || node.is_null() {
            continue;
        }
        let name = describe_pointer(field.pointer);
        let mut d = LINT
            .diagnostic(
                node.span,
                match &node.value {
                    Value::Str(s) => format!("`{s}` is not a duration"),
                    _ => format!(
                        "`{name}` must be a duration such as `1h`, not {}",
                        node.type_name()
                    ),
                },
            )
            .with_severity(ctx.severity_for(&LINT))
            .with_pointer(field.pointer)
            .with_help("write a whole number followed by m, h or d: `5m`, `1h`, `14d`");
        if let Some(short) = node.as_str().and_then(guess)
            && let Some(edit) = replace_scalar(ctx, node, &short)
        {
            d = d.with_help(format!("did you mean `{short}`?"));
            d = d.with_fix(Fix::unsafe_(format!("Write `{short}`"), vec![edit]));
        }
        sink.push(d);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn guesses() {
        for (written, meant) in [
            ("30min", "30m"),
            ("1 hour", "1h"),
            ("2D", "2d"),
            ("1h10m", "70m"),
            ("1d12h", "36h"),
            ("1w", "7d"),
        ] {
            assert_eq!(super::guess(written).as_deref(), Some(meant), "{written}");
        }
        assert_eq!(super::guess("24h with 4h bins"), None);
        assert_eq!(super::guess("soon"), None);
    }
}
