"""``govlens index compute|audit|uncertainty`` through the CLI runner: outputs, and bad input as located
messages with exit code 1 and no output file."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from govlens.cli import app

runner = CliRunner()

TREE = """id,parent,weight,direction,label
IDX,,1,1,Index
P1,IDX,1,1,Pillar 1
P2,IDX,1,1,Pillar 2
a,P1,1,1,A
b,P1,1,-1,B
c,P2,2,1,C
d,P2,1,1,D
"""
DATA = """unit,a,b,c,d,region
ARG,1,10,0.5,3,SA
BRA,2,20,,4,SA
CHL,3,30,0.9,5,SA
MEX,4,5,0.1,,NA
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "tree.csv").write_text(TREE, encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["index", *args])
    return result.exit_code, result.output


def test_compute_writes_scores_and_ranks(files: Path) -> None:
    out = files / "results.csv"
    code, output = run(
        "compute", "--framework", str(files / "tree.csv"), "--data", str(files / "data.csv"), "--out", str(out)
    )
    assert code == 0, output
    table = pd.read_csv(out)
    assert list(table.columns) == ["unit", "node", "score", "rank"]
    index = table[table["node"] == "IDX"].set_index("unit")
    # worked out by hand in tests/index/test_pipeline.py: IDX = 0.3667, 0.4333, 0.6667, 0.5
    assert index["score"].round(4).tolist() == [0.3667, 0.4333, 0.6667, 0.5]
    assert index["rank"].tolist() == [4, 3, 1, 2]
    assert "region" in output  # the ignored column is reported


def test_compute_with_a_weight_set_of_the_tree(files: Path) -> None:
    # the tree's column weight:expert weighs c 1 and P1 3: IDX = .3625, .4, .5, .75 (tests/index/test_pipeline.py)
    lines = TREE.splitlines()
    rows = [lines[0] + ",weight:expert"] + [
        line + {"P1": ",3", "c": ",1"}.get(line.split(",")[0], ",") for line in lines[1:]
    ]
    (files / "sets.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = files / "results.csv"
    args = ["compute", "--framework", str(files / "sets.csv"), "--data", str(files / "data.csv"), "--out", str(out)]
    code, output = run(*args, "--weights", "expert")
    assert code == 0, output
    index = pd.read_csv(out).query("node == 'IDX'").set_index("unit")["score"]
    assert index.tolist() == pytest.approx([0.3625, 0.4, 0.5, 0.75])
    code, output = run(*args, "--weights", "expertise")
    assert code == 1 and "weights must be one of {framework, equal, pca, expert}; got 'expertise'" in output


def test_compute_options(files: Path) -> None:
    out = files / "results.csv"
    code, output = run(
        "compute",
        "--framework",
        str(files / "tree.csv"),
        "--data",
        str(files / "data.csv"),
        "--out",
        str(out),
        "--impute",
        "group-mean",
        "--group-col",
        "region",
        "--normalise",
        "rank",
        "--aggregate",
        "geometric",
        "--scale",
        "100",
        "--groups",
        "quartiles",
    )
    assert code == 0, output
    table = pd.read_csv(out)
    assert table["score"].dropna().between(0, 100).all()  # MEX d stays missing: MEX is alone in its region
    assert set(table["group"].dropna()) <= {"Q1", "Q2", "Q3", "Q4"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("unit,a,b,c,d\nARG,1,x,1,1\nBRA,2,2,2,2\n", (2, "b", "non_numeric_value")),
        ("iso,a,b,c,d\nARG,1,1,1,1\n", (1, "unit", "unknown_unit_column")),
        ("unit,a,b,c\nARG,1,1,1\n", (1, "d", "tree_data_mismatch")),
        ("unit,a,b,c,d\nARG,1,1,1,1\nBRA,,,,\n", (3, "unit", "unit_without_data")),
    ],
)
def test_bad_input_is_located_and_writes_nothing(files: Path, data: str, expected: tuple[int, str, str]) -> None:
    (files / "bad.csv").write_text(data, encoding="utf-8")
    out = files / "results.csv"
    code, output = run(
        "compute", "--framework", str(files / "tree.csv"), "--data", str(files / "bad.csv"), "--out", str(out)
    )
    assert code == 1
    row, column, problem = expected
    # the one CLI format: PATH:ROW: code: message, the column named in the message or after it
    located = [line for line in output.splitlines() if line.startswith(f"{files / 'bad.csv'}:{row}: {problem}: ")]
    assert located and f"'{column}'" in located[0], output
    assert "Traceback" not in output
    assert not out.exists()
    assert list(files.glob(".results.csv.*")) == []  # no temporary file left behind


def test_bad_tree_and_bad_option(files: Path) -> None:
    (files / "tree2.csv").write_text("id,parent\nR,\na,Z\n", encoding="utf-8")
    code, output = run(
        "compute",
        "--framework",
        str(files / "tree2.csv"),
        "--data",
        str(files / "data.csv"),
        "--out",
        str(files / "o.csv"),
    )
    assert code == 1 and f"{files / 'tree2.csv'}:3: tree_dangling_parent: " in output and "'parent'" in output
    code, output = run(
        "compute",
        "--framework",
        str(files / "tree.csv"),
        "--data",
        str(files / "data.csv"),
        "--out",
        str(files / "o.csv"),
        "--normalise",
        "zscor",
    )
    assert code == 1
    assert "normalise must be one of {minmax, zscore, rank, goalposts, distance-to-best}; got 'zscor'" in output
    assert not (files / "o.csv").exists()


def test_unknown_framework_name(files: Path) -> None:
    code, output = run(
        "compute", "--framework", "no-such-framework", "--data", str(files / "data.csv"), "--out", str(files / "o.csv")
    )
    assert code == 1
    assert "no-such-framework" in output and "Traceback" not in output


def test_audit_writes_a_workbook_and_a_summary(files: Path) -> None:
    out = files / "audit.xlsx"
    code, output = run(
        "audit", "--framework", str(files / "tree.csv"), "--data", str(files / "data.csv"), "--out", str(out)
    )
    assert code == 0, output
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"summary", "flags", "correlations", "reliability", "coverage", "treatment"} <= set(sheets)
    assert set(sheets["reliability"]["node"]) == {"P1", "P2", "IDX"}
    correlations = sheets["correlations"]
    assert {"r", "r_p", "spearman", "spearman_p", "kendall", "kendall_p", "n"} <= set(correlations.columns)
    # P1 with IDX over the 4 units: r and its p-value are written, not left empty
    p1 = correlations[(correlations["node"] == "P1") & (correlations["other"] == "IDX")].iloc[0]
    assert p1["n"] == 4 and -1 <= p1["r"] <= 1 and 0 <= p1["r_p"] <= 1
    assert "Cronbach's alpha" in output


def test_audit_refuses_another_extension(files: Path) -> None:
    code, output = run(
        "audit",
        "--framework",
        str(files / "tree.csv"),
        "--data",
        str(files / "data.csv"),
        "--out",
        str(files / "a.csv"),
    )
    assert code == 1 and "must be an .xlsx file" in output


def _audit_html(files: Path, name: str, *extra: str) -> tuple[int, str, str]:
    page = files / name
    code, output = run(
        "audit", "--framework", str(files / "tree.csv"), "--data", str(files / "data.csv"), "--html", str(page), *extra
    )
    return code, output, page.read_text(encoding="utf-8") if page.exists() else ""


def test_audit_writes_an_offline_html_report_with_the_analysis_charts(files: Path) -> None:
    import xml.etree.ElementTree as ET

    code, output, html = _audit_html(files, "audit.html", "--replications", "200", "--sobol-n", "16")
    assert code == 0, output
    assert f"audit -> {files / 'audit.html'}" in output and not (files / "audit.xlsx").exists()
    charts = [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]  # each one well-formed
    assert [chart.get("class") for chart in charts] == [
        f"chart {name}"
        for name in ("sunburst", "distribution-chart", "correlation-map", "rank-interval-chart", "sensitivity-chart")
    ]
    for section in ("framework", "distributions", "correlations", "uncertainty", "sensitivity"):
        assert f'<section id="{section}">' in html
    # each component with its aggregate, three coefficients and their p-values: a row per node but the index
    table = html.split('<table id="parent-correlations-table">')[1].split("</table>")[0]
    assert table.count('<tr><th scope="row">') == 6 and "Kendall" in table
    # one dot per value present: 4 indicators over 4 units, with B's and D's missing values left out
    assert html.count('<circle class="dot') == 14
    # offline: no script, no link to another file or site
    assert "<script" not in html and "src=" not in html and "<link" not in html and "@import" not in html
    # the same inputs give the same bytes
    again = _audit_html(files, "again.html", "--replications", "200", "--sobol-n", "16")[2]
    assert again == html


def test_audit_report_without_uncertainty_and_in_spanish(files: Path) -> None:
    code, output, html = _audit_html(files, "auditoria.html", "--language", "es")
    assert code == 0, output
    assert "Auditoría estadística del índice" in html and '<html lang="es">' in html
    assert 'id="uncertainty"' not in html and 'id="sensitivity"' not in html


def test_audit_needs_an_output_and_refuses_bad_options(files: Path) -> None:
    base = ["audit", "--framework", str(files / "tree.csv"), "--data", str(files / "data.csv")]
    assert "give --out" in run(*base)[1]
    for extra, message in (
        (["--html", str(files / "a.txt")], "must be an .html file"),
        (["--html", str(files / "a.html"), "--language", "de"], "language must be one of"),
        (["--html", str(files / "a.html"), "--sobol-n", "10"], "with --replications"),
        (["--html", str(files / "a.html"), "--replications", "-1"], "--replications must be"),
    ):
        code, output = run(*base, *extra)
        assert code == 1 and message in output, output
        assert not (files / "a.html").exists()


def test_uncertainty_writes_rank_intervals_and_sensitivity(files: Path) -> None:
    out = files / "ranks.csv"
    sens = files / "sens.csv"
    args = [
        "uncertainty",
        "--framework",
        str(files / "tree.csv"),
        "--data",
        str(files / "data.csv"),
        "--out",
        str(out),
        "--replications",
        "300",
        "--seed",
        "5",
        "--sobol-n",
        "40",
        "--sensitivity-out",
        str(sens),
        "--impute",
        "mean",
    ]
    code, output = run(*args)
    assert code == 0, output
    table = pd.read_csv(out)
    assert list(table.columns) == [
        "unit",
        "node",
        "nominal_rank",
        "median_rank",
        "rank_p05",
        "rank_p95",
        "score_p05",
        "score_p95",
    ]
    assert len(table) == 4 * 7
    assert "300/300" in output  # the progress bar reached the end
    assert "first order" in output
    assert pd.read_csv(sens)["input"].tolist() == ["normalise", "aggregate", "weights"]
    first = out.read_bytes()
    code, _ = run(*args)
    assert code == 0 and out.read_bytes() == first  # same seed, same file


def test_uncertainty_bad_options(files: Path) -> None:
    base = [
        "uncertainty",
        "--framework",
        str(files / "tree.csv"),
        "--data",
        str(files / "data.csv"),
        "--out",
        str(files / "r.csv"),
    ]
    code, output = run(*base, "--vary-aggregate", "arithmetic,copeland")
    assert code == 1 and "got 'copeland'" in output
    code, output = run(*base, "--vary-weights", "0")
    assert code == 1 and "nothing is uncertain" in output
    assert not (files / "r.csv").exists()


def test_compute_with_a_bundled_framework_and_xlsx_data(tmp_path: Path) -> None:
    from govlens.index.io import load_tree

    tree = load_tree("gtmi-2022")  # through govlens.framework.catalogue
    assert tree.root == "GTMI" and len(tree.leaves) == 48
    rows = [[f"C{u}", *[(u * 7 + i * 3) % 11 / 10 for i in range(len(tree.leaves))]] for u in range(6)]
    frame = pd.DataFrame(rows, columns=["unit", *tree.leaves])
    data = tmp_path / "gtmi.xlsx"
    frame.to_excel(data, index=False, sheet_name="scores")
    out = tmp_path / "gtmi.csv"
    code, output = run(
        "compute", "--framework", "gtmi-2022", "--data", str(data), "--out", str(out), "--normalise", "goalposts"
    )
    assert code == 0, output
    table = pd.read_csv(out)
    assert set(table["node"]) >= {"GTMI", "CGSI", "I-1"}
    # goalposts 0..1 keep already-scored items as they are
    first = table[(table["unit"] == "C1") & (table["node"] == tree.leaves[0])]["score"].iloc[0]
    assert first == pytest.approx(0.7)


def test_carry_forward_from_the_previous_cycle(files: Path) -> None:
    (files / "last.csv").write_text("unit,a,b,c,d\nBRA,9,9,0.3,9\nMEX,9,9,9,5\n", encoding="utf-8")
    out = files / "results.csv"
    code, output = run(
        "compute", "--framework", str(files / "tree.csv"), "--data", str(files / "data.csv"), "--out", str(out),
        "--impute", "carry-forward", "--previous", str(files / "last.csv"),
    )  # fmt: skip
    assert code == 0, output
    table = pd.read_csv(out).set_index(["unit", "node"])
    # BRA's c comes from last cycle (0.3): min-max over .5, .3, .9, .1 -> (0.3 - 0.1) / 0.8 = 0.25
    assert table.loc[("BRA", "c"), "score"] == pytest.approx(0.25)
    # MEX's d = 5 ties with CHL at the top of d
    assert table.loc[("MEX", "d"), "rank"] == 1 and table.loc[("CHL", "d"), "rank"] == 1


def test_missing_output_folder_is_refused_before_any_work(files: Path) -> None:
    out = files / "no-such-folder" / "results.csv"
    code, output = run(
        "compute", "--framework", str(files / "tree.csv"), "--data", str(files / "data.csv"), "--out", str(out)
    )
    assert code == 1 and "does not exist" in output
    assert "column_not_in_tree" not in output  # stopped before reading the data


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("data.xlsx", DATA.encode(), "cannot read the data: data.xlsx is not an Excel workbook (.xlsx)"),
        ("data.xlsx", b"<html><body>404</body></html>", "data_unreadable: cannot read the data: data.xlsx is not"),
        ("data.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "not a valid .xls workbook"),
    ],
    ids=["csv-named-xlsx", "html-named-xlsx", "ole-junk-xls"],
)
def test_a_spreadsheet_that_is_not_one_is_named(files: Path, name: str, content: bytes, expected: str) -> None:
    (files / name).write_bytes(content)
    out = files / "results.csv"
    result = runner.invoke(
        app,
        ["index", "compute", "--framework", str(files / "tree.csv"), "--data", str(files / name), "--out", str(out)],
    )
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert f"{files / name}: " in result.output and expected in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "data",
    ["unit,a,b,c,d\nARG,1,2,3,4\nBRA,1,2,3,4\n", "unit,a,b,c,d\nARG,1,2,3,4\n"],
    ids=["constant-indicators", "one-unit"],
)
def test_compute_when_no_unit_has_a_score(files: Path, data: str) -> None:
    # min-max of a constant indicator is undefined: every score is missing, which is a result, not a failure
    (files / "flat.csv").write_text(data, encoding="utf-8")
    out = files / "results.csv"
    code, output = run(
        "compute", "--framework", str(files / "tree.csv"), "--data", str(files / "flat.csv"), "--out", str(out)
    )
    assert code == 0, output
    assert "no unit has a score" in output
    assert "constant_indicator" in output  # the checks' warnings say why
    table = pd.read_csv(out)
    assert table["score"].isna().all()


def test_compute_with_every_unit_excluded_writes_nothing(files: Path) -> None:
    out = files / "results.csv"
    code, output = run(
        "compute", "--framework", str(files / "tree.csv"), "--data", str(files / "data.csv"), "--out", str(out),
        "--unit-coverage", "1",
    )  # fmt: skip
    # BRA and MEX miss one of 4 indicators, ARG and CHL have all: a threshold of 100% keeps ARG and CHL
    assert code == 0, output
    (files / "gappy.csv").write_text("unit,a,b,c,d\nARG,1,2,,4\nBRA,2,,3,4\n", encoding="utf-8")
    code, output = run(
        "compute", "--framework", str(files / "tree.csv"), "--data", str(files / "gappy.csv"), "--out",
        str(files / "none.csv"), "--unit-coverage", "0.9",
    )  # fmt: skip
    assert code == 1
    assert "no_unit_left: the screening (unit coverage below 90%) excludes all 2 units" in output
    assert not (files / "none.csv").exists()


def test_compute_writes_every_score_at_full_precision(files: Path) -> None:
    from govlens.index.io import load_tree, read_data
    from govlens.index.pipeline import compute
    from govlens.index.settings import Settings

    out = files / "results.csv"
    args = ["--framework", str(files / "tree.csv"), "--data", str(files / "data.csv"), "--out", str(out)]
    code, output = run("compute", *args, "--aggregate", "geometric", "--skew-thresh", "1.5")
    assert code == 0, output
    tree = load_tree(str(files / "tree.csv"))
    expected = compute(read_data(files / "data.csv", indicators=tree.leaves), tree, Settings(aggregate="geometric"))
    table = pd.read_csv(out).set_index(["unit", "node"])["score"]
    for (unit, node), score in table.items():
        assert score == expected.scores.loc[unit, node] or (pd.isna(score) and pd.isna(expected.scores.loc[unit, node]))
    # not cut to 10 significant digits: ARG's P1 is exp(mean(log(1), log(1 + 99 * 0.8))) mapped back
    assert "0.08035803303934591" in out.read_text()


def test_every_engine_option_is_on_every_command() -> None:
    from govlens.index.settings import cli_options

    for command in ("compute", "audit", "uncertainty"):
        result = runner.invoke(app, ["index", command, "--help"], env={"COLUMNS": "200"})
        for field in cli_options():
            assert field.metadata["flag"] in result.output, (command, field.name)


@pytest.fixture
def pillars(tmp_path: Path) -> Path:
    """Three pillars of three indicators over 40 units; P0's indicators share the most with the others."""
    rows = ["id,parent,weight", "IDX,,1"]
    for p in range(3):
        rows.append(f"P{p},IDX,1")
        rows.extend(f"I{p}_{i},P{p},1" for i in range(3))
    (tmp_path / "tree.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rng = np.random.default_rng(11)
    factor = rng.normal(size=40)
    leaves = [f"I{p}_{i}" for p in range(3) for i in range(3)]
    frame = pd.DataFrame(
        {leaf: (1.4, 0.8, 0.4)[int(leaf[1])] * factor + rng.normal(size=40) for leaf in leaves},
        index=pd.Index([f"u{i:02d}" for i in range(40)], name="unit"),
    )
    frame.to_csv(tmp_path / "data.csv")
    return tmp_path


def test_optimise_weights_writes_a_weight_set_that_meets_the_targets(pillars: Path) -> None:
    tree, data, out = pillars / "tree.csv", pillars / "data.csv", pillars / "optimised.csv"
    report = pillars / "report.csv"
    base = ["--framework", str(tree), "--data", str(data)]
    code, output = run(
        "optimise-weights", *base, "--level", "1", "--name", "balanced", "--out", str(out), "--report", str(report)
    )
    assert code == 0, output
    assert "targets met" in output and "P0" in output
    assert "weight:balanced" in pd.read_csv(out).columns
    assert pd.read_csv(report)["target"].tolist() == pytest.approx([1 / 3] * 3)
    # the written tree computes with the set; each pillar then carries a third of the correlations with the index
    results = pillars / "results.csv"
    code, output = run("compute", "--framework", str(out), *base[2:], "--weights", "balanced", "--out", str(results))
    assert code == 0, output
    scores = pd.read_csv(results).pivot(index="unit", columns="node", values="score")
    r = np.array([np.corrcoef(scores[p], scores["IDX"])[0, 1] for p in ("P0", "P1", "P2")])
    assert r / r.sum() == pytest.approx([1 / 3] * 3, abs=0.01)


def test_optimise_weights_says_when_targets_are_not_met(pillars: Path) -> None:
    base = ["--framework", str(pillars / "tree.csv"), "--data", str(pillars / "data.csv"), "--level", "1"]
    out = pillars / "o.csv"
    code, output = run("optimise-weights", *base, "--targets", "P0=1,P1=1,P2=18", "--out", str(out))
    assert code == 2 and "targets not met" in output and out.exists()
    code, output = run("optimise-weights", *base, "--targets", "P0=x", "--out", str(out))
    assert code == 1 and "--targets must be 'equal' or NODE=NUMBER pairs" in output
    code, output = run("optimise-weights", *base[:4], "--level", "5", "--out", str(out))
    assert code == 1 and "level must be one of {0, 1}" in output


def test_uncertainty_draws_winmax_weight_sets_imputation_and_coverage(pillars: Path) -> None:
    lines = (pillars / "tree.csv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0] + ",weight:expert"] + [line + (",3" if line.startswith("P0,") else ",") for line in lines[1:]]
    (pillars / "sets.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out, sensitivity = pillars / "ranks.csv", pillars / "sensitivity.csv"
    code, output = run(
        "uncertainty",
        *("--framework", str(pillars / "sets.csv"), "--data", str(pillars / "data.csv"), "--out", str(out)),
        *("--treat", "winsorise", "--vary-winmax", "1,5", "--vary-weight-sets", "framework,expert,equal"),
        *("--vary-impute", "none,mean", "--vary-coverage", "0,0.5", "--replications", "40"),
        *("--sobol-n", "8", "--sensitivity-out", str(sensitivity)),
    )
    assert code == 0, output
    assert "over impute, winmax, coverage, weight_set" in output
    assert pd.read_csv(sensitivity)["input"].tolist() == ["impute", "winmax", "coverage", "weight_set"]
    code, output = run(
        "uncertainty",
        *("--framework", str(pillars / "sets.csv"), "--data", str(pillars / "data.csv"), "--out", str(out)),
        *("--vary-winmax", "1,x"),
    )
    assert code == 1 and "--vary-winmax must list integers >= 0 separated by commas" in output
    code, output = run(
        "uncertainty",
        *("--framework", str(pillars / "sets.csv"), "--data", str(pillars / "data.csv"), "--out", str(out)),
        *("--vary-weight-sets", "framework,novice"),
    )
    assert code == 1 and "weights must be one of {framework, equal, pca, expert}; got 'novice'" in output
    code, output = run(
        "uncertainty",
        *("--framework", str(pillars / "sets.csv"), "--data", str(pillars / "data.csv"), "--out", str(out)),
        *("--treat", "winsorise", "--vary-skew-thresh", "0.5,2", "--vary-kurt-thresh", "0,3.5", "--replications", "20"),
    )
    assert code == 0 and "over skew_thresh, kurt_thresh" in output, output


def test_compare_two_settings_files(files: Path) -> None:
    # build a: the command's options (framework weights); build b: equal weights and rank normalisation
    (files / "b.yaml").write_text("index:\n  weights: equal\n  normalise: rank\n", encoding="utf-8")
    out, influence = files / "changes.csv", files / "influence.csv"
    base = ["--framework", str(files / "tree.csv"), "--data", str(files / "data.csv")]
    code, output = run("compare", *base, "--b", str(files / "b.yaml"), "--out", str(out), "--influence", str(influence))
    assert code == 0, output
    assert out.read_bytes().count(b"\r\n") == 4 * 7 + 1  # CRLF records: a header and a row per unit and node
    table = pd.read_csv(out).set_index(["unit", "node"])
    assert list(table.columns) == ["score_a", "score_b", "rank_a", "rank_b", "rank_change"]
    # build a is the hand-worked index (IDX ranks 4, 3, 1, 2 for ARG, BRA, CHL, MEX)
    assert [table.loc[(u, "IDX"), "rank_a"] for u in ("ARG", "BRA", "CHL", "MEX")] == [4, 3, 1, 2]
    np.testing.assert_array_equal(table["rank_change"], table["rank_b"] - table["rank_a"])  # NaN: a missing score
    moved = int((table.xs("IDX", level="node")["rank_change"] != 0).sum())
    assert f"4 units x 7 nodes compared -> {out}" in output and f"index IDX: {moved} of 4 units change rank" in output
    assert set(pd.read_csv(influence)["left_out"]) == {"a", "b", "c", "d"}


def test_compare_two_results_files(files: Path) -> None:
    base = ["--framework", str(files / "tree.csv"), "--data", str(files / "data.csv")]
    first, second = files / "first.csv", files / "second.csv"
    assert run("compute", *base, "--out", str(first))[0] == 0
    assert run("compute", *base, "--weights", "equal", "--out", str(second))[0] == 0
    out = files / "changes.csv"
    code, output = run("compare", "--a", str(first), "--b", str(second), "--out", str(out))
    assert code == 0, output
    a, b = pd.read_csv(first), pd.read_csv(second)
    table = pd.read_csv(out)
    np.testing.assert_array_equal(table["rank_a"], a["rank"])
    np.testing.assert_array_equal(table["rank_b"], b["rank"])
    assert "index IDX:" in output


def test_compare_refusals(files: Path) -> None:
    out = files / "changes.csv"
    code, output = run("compare", "--b", str(files / "b.yaml"), "--out", str(out))
    assert code == 1 and "--framework and --data are needed" in output
    (files / "b.yaml").write_text("index:\n  normalize: rank\n", encoding="utf-8")
    base = ["--framework", str(files / "tree.csv"), "--data", str(files / "data.csv")]
    code, output = run("compare", *base, "--b", str(files / "b.yaml"), "--out", str(out))
    assert code == 1 and "b.yaml: index.normalize: not a setting of the index section" in output
    code, output = run("compare", "--a", str(files / "data.csv"), "--b", str(files / "data.csv"), "--out", str(out))
    assert code == 1 and "results_missing_column" in output and not out.exists()


def test_optimise_weights_of_a_framework_into_its_yaml(tmp_path: Path) -> None:
    from govlens.framework.yaml_io import read_yaml
    from govlens.index.io import load_tree

    tree = load_tree("gtmi-2022")
    rng = np.random.default_rng(5)
    factor = rng.normal(size=40)
    frame = pd.DataFrame(
        {leaf: factor * (0.3 + (i % 4) / 3) + rng.normal(size=40) for i, leaf in enumerate(tree.leaves)},
        index=pd.Index([f"C{u:02d}" for u in range(40)], name="unit"),
    )
    frame.to_csv(tmp_path / "data.csv")
    out = tmp_path / "gtmi-balanced.yaml"
    args = ["--framework", "gtmi-2022", "--data", str(tmp_path / "data.csv")]
    code, output = run("optimise-weights", *args, "--level", "1", "--name", "balanced", "--out", str(out))
    assert code in (0, 2), output
    loaded = read_yaml(out)
    assert loaded.framework is not None and loaded.report.valid, loaded.report
    pillars = [node for node in tree.children(tree.root) if not tree.is_leaf(node)]
    balanced = loaded.framework.weight_sets["balanced"]
    assert set(pillars) <= set(balanced) and len(pillars) == len(tree.children(tree.root))
    assert sum(balanced[p] for p in pillars) == pytest.approx(1.0)  # the level's weights sum to 1 among siblings
    # the written framework computes with its new set
    results = tmp_path / "results.csv"
    code, output = run("compute", "--framework", str(out), *args[2:], "--weights", "balanced", "--out", str(results))
    assert code == 0, output
    code, output = run("optimise-weights", "--framework", "x.csv", *args[2:], "--level", "1", "--out", str(out))
    assert code == 1 and "--out as YAML needs a framework" in output


def test_compute_divides_by_a_denominator_column(files: Path) -> None:
    (files / "pop.csv").write_text(
        "unit,a,b,c,d,population\nARG,1,10,0.5,3,2\nBRA,2,20,,4,4\nCHL,3,30,0.9,5,1\nMEX,4,5,0.1,,0\n", encoding="utf-8"
    )
    out = files / "results.csv"
    args = ["compute", "--framework", str(files / "tree.csv"), "--data", str(files / "pop.csv"), "--out", str(out)]
    code, output = run(*args, "--denominate", "a=population,scale:10")
    # MEX has a value of a and a population of 0: refused at its row, nothing written
    assert code == 1
    assert "pop.csv:5: invalid_denominator: denominator 'population' of unit 'MEX' is 0" in output
    assert not out.exists()
    (files / "pop.csv").write_text((files / "pop.csv").read_text().replace(",,0\n", ",,8\n"), encoding="utf-8")
    code, output = run(*args, "--denominate", "a=population,scale:10")
    assert code == 0, output
    assert "population" not in output  # read as the denominator, not reported as a column left out
    a = pd.read_csv(out).query("node == 'a'").set_index("unit")["score"]
    # a / (population / 10): 5, 5, 30, 5 -> min-max 0, 0, 1, 0
    assert a.tolist() == [0.0, 0.0, 1.0, 0.0]
    code, output = run(*args, "--denominate", "a")
    assert code == 1 and "error: --denominate takes INDICATOR=VALUE entries separated by ';'; got 'a'" in output


def test_compute_screens_units_by_zeros_and_by_name(files: Path) -> None:
    (files / "zeros.csv").write_text(
        "unit,a,b,c,d\nARG,1,10,0.5,3\nBRA,0,0,0,4\nCHL,3,30,0.9,5\nMEX,4,5,0.1,1\nPER,2,8,0.3,2\n", encoding="utf-8"
    )
    out = files / "results.csv"
    args = ["compute", "--framework", str(files / "tree.csv"), "--data", str(files / "zeros.csv"), "--out", str(out)]
    # BRA has 1 non-zero value of 4 (25% < 50%); PER is left out by name; MEX would go with coverage but is kept
    code, output = run(*args, "--unit-nonzero", "0.5", "--screen-exclude", "PER", "--screen-include", "MEX")
    assert code == 0, output
    assert "warning: low_nonzero_share: unit 'BRA' has 25% non-zero values (of those present), below 50%" in output
    assert "screened out: BRA, PER" in output
    assert sorted(set(pd.read_csv(out)["unit"])) == ["ARG", "CHL", "MEX"]
    code, output = run(*args, "--screen-exclude", "XXX")
    assert code == 1 and "screen_unknown_unit: screen_exclude names unit 'XXX', which is not in the data" in output
    code, output = run(*args, "--screen-stage", "later")
    assert code == 1 and "screen_stage must be one of {data, imputed}; got 'later'" in output


def test_compute_with_per_indicator_treatment_and_normalisation(files: Path) -> None:
    out = files / "results.csv"
    args = ["compute", "--framework", str(files / "tree.csv"), "--data", str(files / "data.csv"), "--out", str(out)]
    code, output = run(
        *args, "--normalise-per-indicator", "c=goalposts,low:0,high:2; d=rank", "--treat-per-indicator", "a=none"
    )
    assert code == 0, output
    scores = pd.read_csv(out).set_index(["unit", "node"])["score"]
    # c / 2 on the goalposts 0..2; d as percentile ranks of 3, 4, 5
    assert [scores["ARG", "c"], scores["CHL", "c"]] == pytest.approx([0.25, 0.45])
    assert [scores["ARG", "d"], scores["BRA", "d"], scores["CHL", "d"]] == [0.0, 0.5, 1.0]
    code, output = run(*args, "--normalise-per-indicator", "c=zscor")
    assert code == 1 and "normalise_per_indicator method of 'c' must be one of {minmax" in output
    code, output = run(*args, "--treat-per-indicator", "zz=none")
    assert code == 1 and "error: treat_per_indicator must name indicators of the tree; got 'zz'" in output
