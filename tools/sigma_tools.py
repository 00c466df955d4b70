#!/usr/bin/env python3
"""Run the Sigma tools of SigmaHQ on sentinel-lint's Sigma output, offline.

Used by the ignored tests of tests/convert_corpus.rs (and so by .ci/run), with a venv that has
sigma-cli 3.1.0, pySigma 1.5.1, pySigma-validators-sigmahq 0.21.0 and pySigma-backend-kusto 1.0.1.

    python tools/sigma_tools.py check DIR         # `sigma check` over DIR/**/*.yml, JSON summary on stdout
    python tools/sigma_tools.py yaml DIR          # PyYAML reads every DIR/**/*.yml as its .json sidecar says
    python tools/sigma_tools.py kusto MANIFEST    # each rule -> KQL with pySigma-backend-kusto, JSON on stdout
    python tools/sigma_tools.py read DIR          # pySigma reads each file as a collection; its rules -> KQL

pySigma downloads ATT&CK, D3FEND and SigmaHQ data at run time; here the data comes from
../shared/reference/sigma instead: the SigmaHQ files as they are, ATT&CK v18.1 as a STIX bundle
made from attack_enterprise_compact.json, and an empty D3FEND ontology (sentinel-lint writes no
d3fend tags).
"""
import contextlib
import io
import json
import pathlib
import re
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SIGMA_DATA = pathlib.Path(
    __import__("os").environ.get("SENTINEL_LINT_SHARED", ROOT.parent / "shared")
) / "reference" / "sigma"


def offline(workdir):
    """Point every pySigma data loader at local files."""
    from sigma.data import mitre_attack, mitre_d3fend
    from sigma.validators.sigmahq.data import data_filename, data_taxonomy, data_windows_eventid, data_windows_provider

    compact = json.loads((SIGMA_DATA / "attack_enterprise_compact.json").read_text())["v18_1"]
    objects = [{"type": "x-mitre-collection", "x_mitre_version": "18.1"}]
    for tactic_id, tactic in compact["tactics"].items():
        objects.append({
            "type": "x-mitre-tactic",
            "name": tactic["name"],
            "x_mitre_shortname": tactic["shortname"],
            "external_references": [{"source_name": "mitre-attack", "external_id": tactic_id}],
        })
    for technique_id, technique in compact["techniques"].items():
        objects.append({
            "type": "attack-pattern",
            "name": technique["name"],
            "external_references": [{"source_name": "mitre-attack", "external_id": technique_id}],
            "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": t} for t in technique["tactics"]],
        })
    attack = workdir / "enterprise-attack.json"
    attack.write_text(json.dumps({"type": "bundle", "objects": objects}))
    d3fend = workdir / "d3fend.json"
    d3fend.write_text(json.dumps({"@graph": [{"@type": "owl:Ontology", "owl:versionIRI": "http://d3fend.mitre.org/ontologies/d3fend/0.0.0"}]}))
    for module in (mitre_attack, mitre_d3fend, data_filename, data_taxonomy, data_windows_eventid, data_windows_provider):
        module.set_cache_dir(str(workdir / "cache" / module.__name__))
    mitre_attack.set_url(str(attack))
    mitre_d3fend.set_url(str(d3fend))
    data_taxonomy.set_url(str(SIGMA_DATA / "sigmahq_taxonomy.json"))
    data_filename.set_url(str(SIGMA_DATA / "sigmahq_filename.json"))
    data_windows_eventid.set_url(str(SIGMA_DATA / "sigmahq_windows_validator.json"))
    data_windows_provider.set_url(str(SIGMA_DATA / "sigmahq_windows_validator.json"))


def check(folder):
    from sigma.cli.check import check as check_command

    files = sorted(str(p) for p in pathlib.Path(folder).rglob("*.yml"))
    out = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(out):
        offline(pathlib.Path(tmp))
        try:
            check_command.main(args=files, standalone_mode=False)
        except SystemExit:
            pass
    text = out.getvalue()
    found = re.search(r"Found (\d+) errors, (\d+) condition errors and (\d+) issues", text)
    issues = {}
    for line in text.splitlines():
        m = re.match(r"\s*(\w+Issue)\b", line.strip())
        if m:
            issues[m.group(1)] = issues.get(m.group(1), 0) + 1
    # The issue summary table: "| IssueName | severity | count |" or "IssueName: n" lines.
    summary = {}
    for m in re.finditer(r"^\|\s*(\d+)\s*\|\s*(\w+Issue)\s*\|", text, re.M):
        summary[m.group(2)] = int(m.group(1))
    print(json.dumps({
        "files": len(files),
        "errors": int(found.group(1)) if found else None,
        "condition_errors": int(found.group(2)) if found else None,
        "issues": int(found.group(3)) if found else None,
        "issues_by_type": summary or issues,
        "error_lines": error_section(text)[:40],
    }))


def error_section(text):
    """The lines between `=== Sigma Rule Errors ===` and `=== Issues ===`."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith("=== Sigma Rule Errors"):
            inside = True
        elif line.startswith("==="):
            inside = False
        elif inside and line.strip():
            lines.append(line)
    return lines


def yaml_check(folder):
    """Every .yml reads, with PyYAML (what SigmaHQ's tools use), as its .json sidecar says."""
    import yaml

    bad = []
    files = sorted(pathlib.Path(folder).rglob("*.yml"))
    for path in files:
        meant = json.loads(path.with_suffix(".json").read_text())
        read = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        if read != meant:
            bad.append(str(path))
    print(json.dumps({"files": len(files), "differ": bad}))


def kusto(manifest):
    """Convert each rule of the manifest ({file, table}) back to KQL with the kusto backend:
    the microsoft_xdr pipeline for Defender tables, sentinel_asim for ASIM, azure_monitor for
    the Log Analytics tables; the table is passed along where the log source does not name it."""
    from sigma.backends.kusto import KustoBackend
    from sigma.collection import SigmaCollection
    from sigma.pipelines.azuremonitor import azure_monitor_pipeline
    from sigma.pipelines.microsoftxdr import microsoft_xdr_pipeline
    from sigma.pipelines.sentinelasim import sentinel_asim_pipeline

    entries = json.loads(pathlib.Path(manifest).read_text())
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        offline(pathlib.Path(tmp))
        for entry in entries:
            table = entry["table"]
            if entry["category"]:
                query_table = None
            else:
                query_table = table
            if table.startswith(("Device", "Email", "Identity", "CloudAppEvents", "Alert", "UrlClickEvents")):
                pipeline = microsoft_xdr_pipeline(query_table=query_table)
            elif table.startswith(("im", "_Im", "ASim")):
                pipeline = sentinel_asim_pipeline(query_table=query_table)
            else:
                pipeline = azure_monitor_pipeline(query_table=table)
            try:
                collection = SigmaCollection.from_yaml(pathlib.Path(entry["file"]).read_text(encoding="utf-8"))
                queries = KustoBackend(processing_pipeline=pipeline).convert(collection)
                results[entry["file"]] = {"kql": [str(q) for q in queries]}
            except Exception as e:  # the backend's own errors: reported, counted
                results[entry["file"]] = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(results))


def read(folder):
    """pySigma reads each DIR/**/*.yml as a collection: its detection and correlation rules,
    the correlations' references resolved; with the kusto backend, the KQL of each detection
    rule (a correlation's too): microsoft_xdr for a log source with a category, else the
    pipeline of the table DIR/tables.json names for the file (microsoft_xdr for Defender
    tables, sentinel_asim for ASIM, azure_monitor for the others)."""
    from sigma.backends.kusto import KustoBackend
    from sigma.collection import SigmaCollection
    from sigma.correlations import SigmaCorrelationRule
    from sigma.pipelines.azuremonitor import azure_monitor_pipeline
    from sigma.pipelines.microsoftxdr import microsoft_xdr_pipeline

    from sigma.pipelines.sentinelasim import sentinel_asim_pipeline

    tables_file = pathlib.Path(folder) / "tables.json"
    tables = json.loads(tables_file.read_text()) if tables_file.exists() else {}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        offline(pathlib.Path(tmp))
        for path in sorted(pathlib.Path(folder).rglob("*.yml")):
            entry = {"rules": 0, "correlations": [], "kql": [], "errors": []}
            try:
                collection = SigmaCollection.from_yaml(path.read_text(encoding="utf-8"))
                collection.resolve_rule_references()
                for rule in collection:
                    if isinstance(rule, SigmaCorrelationRule):
                        entry["correlations"].append({
                            "type": str(rule.type.name).lower(),
                            "rules": [str(r.rule.id) for r in rule.rules],
                            "group_by": list(rule.group_by or []),
                        })
                        continue
                    entry["rules"] += 1
                    table = tables.get(path.name, {}).get(str(rule.id))
                    if rule.logsource.category:
                        pipeline = microsoft_xdr_pipeline()
                    elif table and table.startswith(("Device", "Email", "Identity", "CloudAppEvents", "Alert", "UrlClickEvents")):
                        pipeline = microsoft_xdr_pipeline(query_table=table)
                    elif table and table.startswith(("im", "_Im", "ASim")):
                        pipeline = sentinel_asim_pipeline(query_table=table)
                    else:
                        pipeline = azure_monitor_pipeline(query_table=table)
                    try:
                        # A rule a correlation refers to is not output on its own: a copy is.
                        single = SigmaCollection.from_dicts([rule.to_dict()])
                        entry["kql"] += [str(q) for q in KustoBackend(processing_pipeline=pipeline).convert(single)]
                    except Exception as e:
                        entry["errors"].append(f"kusto: {type(e).__name__}: {str(e).splitlines()[0]}")
            except Exception as e:
                entry["errors"].append(f"{type(e).__name__}: {str(e).splitlines()[0]}")
            results[path.name] = entry
    print(json.dumps(results))


if __name__ == "__main__":
    command, argument = sys.argv[1], sys.argv[2]
    {"check": check, "yaml": yaml_check, "kusto": kusto, "read": read}[command](argument)
