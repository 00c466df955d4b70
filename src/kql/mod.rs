//! KQL: lexer, parser, syntax tree (with a span on every node), walks over it, printer.
//!
//! No usable Rust parser for KQL exists; this one follows Microsoft's grammar (`Kql.g4`,
//! `KqlTokens.g4` in microsoft/Kusto-Query-Language) and the Kusto documentation, and is
//! tested against the queries of the corpus (parse rate, print-and-reparse, and the
//! verdicts of Microsoft's own parser, Kusto.Language, run as an oracle in CI).

pub mod ast;
pub mod columns;
pub mod lexer;
mod parser;
pub mod printer;
pub mod time;
mod tree;
pub mod visit;

pub use parser::{KqlError, MAX_DEPTH, MAX_TOKENS, MAX_TREE_DEPTH, Parsed, parse};
pub use printer::print;
pub use tree::tree;

#[cfg(test)]
mod tests {
    use super::*;

    /// Parse, check there are no errors, print, reparse, and compare the trees.
    fn round_trip(query: &str) -> Parsed {
        let parsed = parse(query);
        assert!(parsed.errors.is_empty(), "{query}\n{:?}", parsed.errors);
        let printed = print(&parsed.query);
        let again = parse(&printed);
        assert!(
            again.errors.is_empty(),
            "reprint does not parse:\n{printed}\n{:?}",
            again.errors
        );
        assert_eq!(
            serde_json::to_value(&parsed.query).unwrap(),
            serde_json::to_value(&again.query).unwrap(),
            "reprint differs:\n{printed}"
        );
        parsed
    }

    #[test]
    fn sentinel_queries() {
        for query in [
            "let Time_start = now(-5d);\nlet Time_end = now();\n//\nDeviceNetworkEvents\n| where Timestamp between (Time_start..Time_end)\n| where RemoteUrl has 'panorama9.com'\n    and InitiatingProcessVersionInfoCompanyName has 'panorama9'\n| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp),\n    Report=make_set(ReportId), Count=count() by DeviceId, DeviceName,\n    RemoteUrl",
            "SigninLogs | where ResultType == \"50126\" | summarize dcount(UserPrincipalName) by IPAddress, bin(TimeGenerated, 1h) | where dcount_UserPrincipalName > 10",
            "let ops = dynamic([\"Add member to role\", 'x']);\nAuditLogs\n| where OperationName in~ (ops) and Result !in (\"failure\")\n| mv-expand TargetResource = TargetResources\n| extend Role = tostring(TargetResource.modifiedProperties[1].newValue), ['Odd Name'] = 1\n| project-away Target*, *_s\n| sort by TimeGenerated desc nulls last\n| take 10",
            "SecurityEvent | where EventID == 4625 | join kind=inner (SecurityEvent | where EventID == 4624 | project Account, SuccessTime = TimeGenerated) on $left.Account == $right.Account | extend Delta = SuccessTime - TimeGenerated",
            "union isfuzzy=true (OfficeActivity | where x !contains_cs 'a'), Security*, workspace('w').Syslog | summarize arg_max(TimeGenerated, *) by Computer",
            "let f = (T:(x:string), lookback:timespan = 1d) { T | where TimeGenerated > ago(lookback) };\nf(SigninLogs, 2h)",
            "datatable(a:string, b:long)['x', -1, \"y\", 2] | extend c = iff(b > 0, 'pos', \"neg\") | parse a with * 'x' rest:string | render timechart with (title=\"t\")",
            "AzureActivity | make-series count() default=0 on TimeGenerated from ago(7d) to now() step 1h by Caller | extend anomalies = series_decompose_anomalies(count_)",
            "T | mv-apply d = dynamic([1,2]) to typeof(long) on (summarize m = max(d)) | top 5 by m desc | evaluate bag_unpack(props) | project-rename NewName = OldName",
            "search in (SecurityEvent, Syslog) \"mimikatz\" | where TimeGenerated > ago(1d)",
            "externaldata(ip:string)[@\"https://example.com/list.csv\"] with (format=\"csv\", ignoreFirstRecord=true) | where ip matches regex @\"^10\\.\" or ip startswith_cs '192.' and not(isempty(ip))",
            "let x = toscalar(SigninLogs | summarize count()); print y = x * 2, z = strcat('a', 'b')",
            "range i from 1 to 10 step 1 | extend s = case(i < 3, 'low', i < 7, 'mid', 'high') | distinct s",
            "T | where a == datetime(2024-01-01T00:00:00Z) and b != guid(5b2e0a5c-0000-4000-8000-000000000000) and c > timespan(1.02:03:04)",
            "T | summarize count() by bin(TimeGenerated, 5m) | lookup kind=leftouter Other on Key | as Result | serialize rn = row_number() | getschema",
            "T | where * has \"x\" | partition hint.strategy=native by Computer (top 1 by TimeGenerated) | fork (count) (take 5) | facet by A, B",
            "declare query_parameters(days:int = 7);\nset notruncation;\nT | where TimeGenerated > ago(1d * days)",
            "T | parse-kv Message as (user:string, ip:string) with (pair_delimiter=' ', kv_delimiter='=') | top-nested 3 of Computer by count(), top-nested 2 of Account by count()",
        ] {
            round_trip(query);
        }
    }

    #[test]
    fn precedence() {
        let parsed = round_trip("T | where a == 1 or b has 'x' and c + 1 * 2 > 3");
        let ast::StatementKind::Expr(e) = &parsed.query.statements[0].kind else {
            panic!()
        };
        let ast::ExprKind::Pipeline { operators, .. } = &e.kind else {
            panic!()
        };
        let ast::OperatorKind::Where { predicate, .. } = &operators[0].kind else {
            panic!()
        };
        // or(a == 1, and(b has 'x', (c + (1 * 2)) > 3))
        let ast::ExprKind::Binary {
            op: ast::BinaryOp::Or,
            right,
            ..
        } = &predicate.kind
        else {
            panic!("{predicate:?}")
        };
        let ast::ExprKind::Binary {
            op: ast::BinaryOp::And,
            right: gt,
            ..
        } = &right.kind
        else {
            panic!()
        };
        let ast::ExprKind::Binary {
            op: ast::BinaryOp::Greater,
            left: sum,
            ..
        } = &gt.kind
        else {
            panic!()
        };
        assert!(matches!(
            sum.kind,
            ast::ExprKind::Binary {
                op: ast::BinaryOp::Add,
                ..
            }
        ));
    }

    #[test]
    fn errors_are_located_and_recovered() {
        let text =
            "T | wher x == 1 | project a, | summarize count() by b\n| extend = 5; T2 | take 1";
        let parsed = parse(text);
        let messages: Vec<(&str, &str)> = parsed
            .errors
            .iter()
            .map(|e| (&text[e.span.start..e.span.end], e.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert_eq!(messages[0].0, "wher");
        assert!(messages[0].1.contains("did you mean `where`?"));
        assert_eq!(messages[1].0, "|");
        assert_eq!(messages[2].0, "=");
        // The rest is still parsed: two statements, the summarize survived.
        assert_eq!(parsed.query.statements.len(), 2);
        assert!(print(&parsed.query).contains("summarize count() by b"));
    }

    #[test]
    fn recovery_skips_the_brackets_of_the_failed_operator() {
        let text = "T | where x in ('a',) | take 1 | wher y";
        let parsed = parse(text);
        let at: Vec<&str> = parsed
            .errors
            .iter()
            .map(|e| &text[e.span.start..e.span.end])
            .collect();
        assert_eq!(at, [")", "wher"], "{:?}", parsed.errors);
        assert!(print(&parsed.query).contains("take 1"));
    }

    #[test]
    fn hostile_input_is_bounded() {
        let deep = "(".repeat(10_000) + "1" + &")".repeat(10_000);
        let parsed = parse(&format!("print x = {deep}"));
        assert!(
            parsed
                .errors
                .iter()
                .any(|e| e.message.contains("nests deeper"))
        );
        let unary = "-".repeat(10_000) + "1";
        assert!(!parse(&format!("print {unary}")).errors.is_empty());
        let long = "T".to_owned() + &" | where x == 1".repeat(5_000);
        let parsed = parse(&long);
        assert!(parsed.errors.is_empty());
        let chain = "print x = a".to_owned() + &".b".repeat(5_000) + &"+1".repeat(5_000);
        let parsed = parse(&chain);
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert!(parsed.errors[0].limit && parsed.errors[0].message.contains("chains more"));
        let huge = "T".to_owned() + &" | where x == 1".repeat(20_000);
        let parsed = parse(&huge);
        assert!(parsed.errors[0].limit && parsed.errors[0].message.contains("tokens"));
        for garbage in [
            "|||",
            "let",
            "let x =",
            ")))",
            "T | join (",
            "dynamic([",
            "T | where x in (",
            "\"",
            "```",
            "a.b.c.(",
            "[",
            "T | parse x with",
        ] {
            let parsed = parse(garbage);
            assert!(!parsed.errors.is_empty(), "{garbage}");
        }
    }
}
