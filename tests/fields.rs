//! `check --fix` and `convert` agree on every field of the model's field table: a test per
//! entry (generated from the table, so that a new entry is tested without writing one).
//!
//! For each entry, values written in a wrong but readable form (derived from a clean rule's
//! own value, by the kind of the field) are put into that rule; the file `check --fix
//! --unsafe-fixes` writes and the original, read leniently as `convert` reads it, must give
//! the model the same value there.

use std::path::Path;
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};
use sentinel_lint::model::attack::tactic_for_id;
use sentinel_lint::model::fields::{self, FIELDS, Field, FieldKind, Written};
use sentinel_lint::model::read::read_rule;
use sentinel_lint::model::{RuleFile, RuleType, Tactic};
use sentinel_lint::pipeline::config::Selection;
use sentinel_lint::pipeline::fix::fix_source;
use sentinel_lint::text::LineIndex;
use serde_json::Value;

const BASE: &str = "rules/convert/scheduled_every_field.yaml";

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = FIELDS
        .iter()
        .map(|field| Trial::test(format!("field {}", field.pattern), move || agree(field)))
        .collect();
    trials.push(Trial::test(
        "alert_property_case_is_kept_by_convert",
        alert_property,
    ));
    libtest_mimic::run(&args, trials).exit();
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn base() -> Value {
    let text = std::fs::read_to_string(root().join(BASE)).unwrap();
    let parsed = sentinel_lint::yaml::parse(&text, &LineIndex::new(&text));
    parsed.documents[0].to_json()
}

/// The pattern with its first list item for each `*`.
fn first_pointer(pattern: &str) -> String {
    pattern.replace("/*", "/0")
}

/// Values that mean the clean value `clean`, written as a rule author might have.
fn samples(kind: FieldKind, clean: &Value) -> Vec<Value> {
    let text = clean.as_str().unwrap_or_default().to_owned();
    let lower = Value::String(text.to_lowercase());
    match kind {
        FieldKind::List => {
            let items: Vec<&str> = clean
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            vec![
                Value::String(items.join(", ")),
                Value::String(items[0].into()),
            ]
        }
        FieldKind::Kind | FieldKind::Enum(_) => vec![lower],
        FieldKind::Tactic => {
            let spaced: String = text
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    (i > 0 && c.is_ascii_uppercase())
                        .then_some(' ')
                        .into_iter()
                        .chain([c])
                })
                .collect();
            let tactic = Tactic::parse(&text).unwrap();
            let id = (1..200)
                .map(|n| format!("TA{n:04}"))
                .find(|id| tactic_for_id(id) == Some(tactic))
                .unwrap();
            vec![lower, Value::String(spaced), Value::String(id)]
        }
        FieldKind::Technique => vec![lower, Value::String(format!("{text} - Its Name"))],
        FieldKind::Id => vec![
            Value::String(format!("{{{}}}", text.to_uppercase())),
            Value::String(text.replace('-', "")),
            Value::String(format!(" {text} ")),
            Value::String("not-a-guid".into()),
        ],
        FieldKind::Version => vec![serde_json::json!(1.0), serde_json::json!(2)],
        FieldKind::Severity => vec![
            lower,
            serde_json::json!(2),
            Value::String(format!("{text}x")),
        ],
        FieldKind::TriggerOperator => vec![
            Value::String(text.to_uppercase()),
            Value::String(">".into()),
            Value::String("GreaterThan".into()),
        ],
        FieldKind::Threshold => vec![Value::String("3".into())],
        FieldKind::Duration { .. } => vec![
            Value::String("PT1H".into()),
            Value::String("01:00:00".into()),
            serde_json::json!(1),
        ],
    }
}

/// The model of a rule file's text, as JSON, and the notes of reading it.
fn read(text: &str) -> Result<(Value, Vec<String>), String> {
    let parsed = sentinel_lint::yaml::parse(text, &LineIndex::new(text));
    let read = read_rule(RuleType::Scheduled, &parsed.documents[0])
        .map_err(|notes| format!("{notes:?}"))?;
    let RuleFile::Scheduled(rule) = read.rule else {
        return Err("not a Scheduled rule".into());
    };
    let notes = read.notes.into_iter().map(|n| n.message).collect();
    Ok((serde_json::to_value(rule).unwrap(), notes))
}

fn agree(field: &Field) -> Result<(), Failed> {
    let pointer = first_pointer(field.pattern);
    let mut rule = base();
    let clean = rule
        .pointer(&pointer)
        .cloned()
        .ok_or_else(|| format!("{BASE} has no {pointer}: add one"))?;
    for sample in samples(field.kind, &clean) {
        *rule.pointer_mut(&pointer).unwrap() = sample.clone();
        let text = serde_yaml::to_string(&rule).unwrap();
        let outcome = fix_source(
            "rule.yaml",
            text.as_bytes(),
            &Selection::default(),
            true,
            &sentinel_lint::model::declared::Declared::default(),
        );
        let fixed = outcome.fixed.map_or(text.clone(), |f| f.fixed);
        // The repair is reported by the lint the model names for it.
        let number = sample.to_string();
        let written = match &sample {
            Value::String(s) => Written::Text(s),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Written::Int(i, &number),
                None => Written::Float(&number),
            },
            _ => Written::Other,
        };
        if let Some(repair) = fields::repair(field.kind, written) {
            let check = sentinel_lint::pipeline::check_source("rule.yaml", text.as_bytes());
            let code = repair.problem.lint();
            if !check.report.diagnostics.iter().any(|d| d.code == code) {
                return Err(format!("no {code} finding for `{pointer}: {sample}`").into());
            }
        }
        let (by_fix, fix_notes) = read(&fixed)?;
        let (by_reader, _) = read(&text)?;
        let context =
            || format!("`{pointer}: {sample}`\n--- written:\n{text}\n--- fixed:\n{fixed}");
        let (a, b) = (by_fix.pointer(&pointer), by_reader.pointer(&pointer));
        if a != b {
            return Err(format!(
                "check --fix gives {a:?}, convert reads {b:?}, for {}",
                context()
            )
            .into());
        }
        if a.is_none() {
            return Err(format!("the value is lost for {}", context()).into());
        }
        if !fix_notes.is_empty() {
            return Err(format!(
                "the fixed file still needs repairs ({fix_notes:?}) for {}",
                context()
            )
            .into());
        }
    }
    Ok(())
}

/// The bug that made the field table: `check --fix` wrote `AlertLink`, while `convert --to
/// arm` dropped the whole `alertDynamicProperties` for `alertlink`.
fn alert_property() -> Result<(), Failed> {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(BASE)).unwrap().replace(
        "alertProperty: ProductComponentName",
        "alertProperty: alertlink",
    );
    let fixed = dir.path().join("fixed.yaml");
    let converted = dir.path().join("converted.yaml");
    std::fs::write(&fixed, &text).unwrap();
    std::fs::write(&converted, &text).unwrap();
    let bin = env!("CARGO_BIN_EXE_sentinel-lint");
    let run = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    run(&["check", "--fix", "fixed.yaml"]);
    let after_fix = std::fs::read_to_string(&fixed).unwrap();
    if !after_fix.contains("alertProperty: AlertLink") {
        return Err(format!("check --fix wrote:\n{after_fix}").into());
    }
    let out = run(&["convert", "--to", "arm", "converted.yaml", "-o", "arm"]);
    let template = std::fs::read_to_string(dir.path().join("arm/converted.json"))
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out.stderr)))?;
    let template: Value = serde_json::from_str(&template).unwrap();
    let property = template.pointer(
        "/resources/0/properties/alertDetailsOverride/alertDynamicProperties/0/alertProperty",
    );
    if property != Some(&Value::String("AlertLink".into())) {
        return Err(format!(
            "convert --to arm wrote {property:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}
