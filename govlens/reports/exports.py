"""Exports of a release: tidy CSV, XLSX with a README sheet, SDMX-CSV and a Frictionless data package.

Every file names its release (id and content hash) and, when the answers are synthetic, says so. Numbers are
written in full precision (Python's shortest round-trip form), so an export reads back to the release's own
floats. Every text cell that a spreadsheet could read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) gets a leading apostrophe: answers and labels are user input.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govlens import tabular
from govlens.followup import ActionPlan
from govlens.followup.tables import ACTION_COLUMNS, MILESTONE_COLUMNS, action_rows, milestone_rows
from govlens.framework.model import Framework, text_in
from govlens.release import BENCHMARK_COLUMNS, Release

__all__ = [
    "EXPORT_FORMATS",
    "FORMULA_PREFIXES",
    "SDMX_DIMENSIONS",
    "Licence",
    "answers_rows",
    "export",
    "neutralise",
    "nodes_rows",
    "sdmx_code",
    "sdmx_dataflow",
    "tidy_rows",
    "write_csv",
    "write_datapackage",
    "write_sdmx_csv",
    "write_sdmx_structure",
    "write_xlsx",
]

EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "sdmx-csv", "sdmx-csv-1.0", "sdmx-structure", "datapackage")
SDMX_CSV_VERSIONS: tuple[str, ...] = ("2.0", "1.0")
FORMULA_PREFIXES = tabular.FORMULA_PREFIXES
SDMX_AGENCY = "GOVLENS"
RELEASE_FILE = "release.json"  # the data package's source, inside the package
SDMX_DIMENSIONS: tuple[str, ...] = ("REF_AREA", "INDICATOR", "MEASURE")
# SDMX IDType: letters, digits, underscore, @, $ and hyphen (no dots)
_SDMX_ID = re.compile(r"[A-Za-z0-9_@$\-]+")
_SDMX_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*")
_ISO3 = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class Licence:
    name: str = "CC-BY-4.0"
    title: str = "Creative Commons Attribution 4.0"
    path: str = "https://creativecommons.org/licenses/by/4.0/"


DEFAULT_LICENCE = Licence()


neutralise = tabular.neutralise


def _text(value: object) -> str:
    result = neutralise(value)
    return result if isinstance(result, str) else str(result)


def _number(value: float | None) -> str:
    if value is None or math.isnan(value):
        return ""
    return repr(float(value))


def _rank(value: float | None) -> str:
    if value is None or math.isnan(value):
        return ""
    return str(int(value))


# -- tables ---------------------------------------------------------------------------------------------------
def tidy_columns(release: Release) -> list[str]:
    columns = ["release", "unit", "node", "score", "rank"]
    if release.results.intervals is not None:
        columns += ["rank_p05", "rank_p95"]
    return [*columns, "synthetic"]


def tidy_rows(release: Release) -> list[list[object]]:
    """One row per unit and node: release, unit, node, score, rank (rank interval), synthetic flag.

    Cells keep their types (floats, ints, None for missing); text cells are neutralised."""
    results = release.results
    scores = results.scores.to_numpy(dtype=float)
    ranks = results.ranks.to_numpy(dtype=float)
    rows: list[list[object]] = []
    for i, unit in enumerate(results.units):
        for j, node in enumerate(results.nodes):
            row: list[object] = [
                _text(release.id),
                _text(unit),
                _text(node),
                _float_cell(scores[i, j]),
                None if math.isnan(ranks[i, j]) else int(ranks[i, j]),
            ]
            if results.intervals is not None:
                interval = results.interval(unit, node)
                row += [interval[0], interval[1]] if interval is not None else [None, None]
            row.append(release.synthetic)
            rows.append(row)
    return rows


def _is_na(value: object) -> bool:
    try:
        return bool(value != value)  # NaN and pandas' NA compare unequal to themselves
    except TypeError:
        return True


def _float_cell(value: float) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def nodes_rows(release: Release, framework: Framework | None = None, language: str = "en") -> list[list[object]]:
    """node, parent, kind, weight, label: one row per node of the indicator tree (labels neutralised)."""
    framework = framework or release.framework()
    return [
        [
            _text(node.id),
            _text(node.parent or ""),
            str(node.kind),
            float(node.weight),
            _text(text_in(node.label, language)),
        ]
        for node in framework.nodes
    ]


def _answer_text(value: object) -> str:
    if isinstance(value, tuple | list):
        return " ".join(str(item) for item in value)
    return str(value)


def answers_rows(release: Release) -> list[list[object]]:
    """release, unit, question, answer: one row per answered question (selections space-separated)."""
    return [
        [_text(release.id), _text(unit), _text(question), _text(_answer_text(value))]
        for unit, answers in release.inputs.answers.items()
        for question, value in answers.items()
    ]


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number(value)
    return _text(value) if isinstance(value, str) else str(value)


def _write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator=tabular.LINE_END)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
    return path


# -- CSV ------------------------------------------------------------------------------------------------------
def write_csv(release: Release, path: Path) -> Path:
    """The tidy table as CSV (UTF-8, comma, header row; missing values empty)."""
    return _write_rows(path, tidy_columns(release), tidy_rows(release))


def write_plans_csv(plans: Sequence[ActionPlan], actions: Path, milestones: Path) -> tuple[Path, Path]:
    """The action plans (one row per action) and their milestones (one row per milestone) as two CSV files."""
    return _write_rows(actions, ACTION_COLUMNS, action_rows(plans)), _write_rows(
        milestones, MILESTONE_COLUMNS, milestone_rows(plans)
    )


# -- XLSX -----------------------------------------------------------------------------------------------------
def readme_rows(release: Release, licence: Licence = DEFAULT_LICENCE, language: str = "en") -> list[tuple[str, str]]:
    """The (field, value) pairs of a README: source, release, hash, licence and the synthetic label."""
    inputs = release.inputs
    framework_title = (
        text_in(inputs.framework_document.get("title", {}), language)
        if isinstance(inputs.framework_document.get("title"), dict)
        else str(inputs.framework_document.get("title", ""))
    )
    rows: list[tuple[str, str]] = []
    if release.synthetic:
        rows.append(("WARNING", release.synthetic_label(language)))
    if release.partial:
        missing = ", ".join(f"{unit} ({status})" for unit, status in release.not_approved.items())
        rows.append(("WARNING", f"PARTIAL RELEASE: made before every country was approved; not included: {missing}"))
    rows += [
        ("title", f"{framework_title}: scores and ranks"),
        (
            "source",
            f"GovLens release {release.id} of cycle {release.cycle}; framework {inputs.framework_id} "
            f"{inputs.framework_version}. {inputs.framework_document.get('source', '')}".strip(),
        ),
        ("release", release.id),
        ("content_hash", f"sha256:{release.hash}"),
        ("created", release.created),
        ("framework", f"{inputs.framework_id} {inputs.framework_version}"),
        ("framework_fingerprint", f"sha256:{inputs.framework_fingerprint}"),
        ("units", ", ".join(release.results.units)),
        ("synthetic", "yes" if release.synthetic else "no"),
        ("partial", "yes" if release.partial else "no"),
        ("licence", f"{licence.title} ({licence.name}), {licence.path}"),
        ("settings", json.dumps(release.settings.to_dict(), sort_keys=True)),
        ("sheets", "scores: one row per unit and node; nodes: the indicator tree; answers: the frozen answers"),
    ]
    return rows


def write_xlsx(
    release: Release,
    path: Path,
    licence: Licence = DEFAULT_LICENCE,
    language: str = "en",
    plans: Sequence[ActionPlan] = (),
) -> Path:
    """A workbook: README (source, release, hash, licence, synthetic label), scores, nodes, answers (and the
    frozen public-data benchmarks, when the release has some; the action plans and their milestones, when given)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    framework = release.framework()
    workbook = Workbook()
    readme = workbook.active
    assert readme is not None
    readme.title = "README"
    for field_name, value in readme_rows(release, licence, language):
        readme.append([_text(field_name), _text(value)])
    if release.synthetic:
        readme["A1"].font = Font(bold=True, color="B00020")
        readme["B1"].font = Font(bold=True, color="B00020")
    readme.column_dimensions["A"].width = 24
    readme.column_dimensions["B"].width = 110

    def sheet(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        worksheet = workbook.create_sheet(title)
        if release.synthetic:
            worksheet.append([_text(release.synthetic_label(language))])
            worksheet["A1"].font = Font(bold=True, color="B00020")
        worksheet.append(list(header))
        for row in rows:
            worksheet.append([_text(value) if isinstance(value, str) else value for value in row])

    sheet("scores", tidy_columns(release), tidy_rows(release))
    sheet("nodes", ["node", "parent", "kind", "weight", "label"], nodes_rows(release, framework, language))
    sheet("answers", ["release", "unit", "question", "answer"], answers_rows(release))
    if plans:
        sheet("action plans", ACTION_COLUMNS, action_rows(plans))
        sheet("milestones", MILESTONE_COLUMNS, milestone_rows(plans))
    if release.inputs.benchmarks:
        sheet(
            "benchmarks",
            ["dataset", "year", *BENCHMARK_COLUMNS],
            [
                [table.get("selector", ""), table.get("years_used", ""), *(row.get(c) for c in BENCHMARK_COLUMNS)]
                for table in release.inputs.benchmarks
                for row in table.get("rows", [])
            ],
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


# -- SDMX-CSV -------------------------------------------------------------------------------------------------
def sdmx_code(identifier: str) -> str:
    """An SDMX IDType code for a node id: characters other than letters, digits, _, @, $ and - become _."""
    code = re.sub(r"[^A-Za-z0-9_@$\-]", "_", identifier).upper()
    if not _SDMX_ID.fullmatch(code):
        raise ValueError(f"cannot make an SDMX code of {identifier!r}")
    return code


def sdmx_dataflow_parts(release: Release, agency: str = SDMX_AGENCY) -> tuple[str, str, str]:
    """(agency, dataflow id, version) of a release's dataflow: ``("GOVLENS", "LAC_DGR", "2026.1")``."""
    inputs = release.inputs
    version = inputs.framework_version if _SDMX_VERSION.fullmatch(inputs.framework_version) else "1.0"
    return agency, sdmx_code(inputs.framework_id).replace("-", "_"), version


def sdmx_dataflow(release: Release, agency: str = SDMX_AGENCY) -> str:
    """``AGENCY:ID(VERSION)``, e.g. ``GOVLENS:LAC_DGR(2026.1)``; a version that is not digits and dots is 1.0."""
    agency, flow, version = sdmx_dataflow_parts(release, agency)
    return f"{agency}:{flow}({version})"


SDMX_MEASURES: Mapping[str, str] = {"score": "SCORE", "rank": "RANK", "rank_p05": "RANK_P05", "rank_p95": "RANK_P95"}


def sdmx_codes(release: Release) -> dict[str, str]:
    """Node id -> its SDMX code; refused when two nodes would share a code or a unit is not ISO3."""
    codes: dict[str, str] = {}
    for node in release.results.nodes:
        code = sdmx_code(node)
        clash = next((other for other, seen in codes.items() if seen == code), None)
        if clash is not None:
            raise ValueError(f"nodes {clash!r} and {node!r} both become the SDMX code {code!r}")
        codes[node] = code
    for unit in release.results.units:
        if not _ISO3.fullmatch(unit):
            raise ValueError(f"REF_AREA needs ISO 3166-1 alpha-3 codes; got unit {unit!r}")
    return codes


def sdmx_rows(
    release: Release, agency: str = SDMX_AGENCY, version: str = "2.0"
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the SDMX-CSV message: version 2.0 (``STRUCTURE,STRUCTURE_ID,ACTION``, the default) or
    1.0 (``DATAFLOW``), then the dimensions, OBS_VALUE and the attribute COMMENT_OBS."""
    if version not in SDMX_CSV_VERSIONS:
        raise ValueError(f"the SDMX-CSV version must be one of {{{', '.join(SDMX_CSV_VERSIONS)}}}; got {version!r}")
    dataflow = sdmx_dataflow(release, agency)
    codes = sdmx_codes(release)
    comment = _text(release.synthetic_label("en")) if release.synthetic else ""
    lead = ["STRUCTURE", "STRUCTURE_ID", "ACTION"] if version == "2.0" else ["DATAFLOW"]
    start = ["dataflow", dataflow, "I"] if version == "2.0" else [dataflow]  # I: information (not a replace)
    header = [*lead, *SDMX_DIMENSIONS, "OBS_VALUE", "COMMENT_OBS"]
    columns = tidy_columns(release)
    measures = [(columns.index(name), code) for name, code in SDMX_MEASURES.items() if name in columns]
    rows: list[list[str]] = []
    for tidy in tidy_rows(release):
        unit, node = _plain(tidy[1]), _plain(tidy[2])
        for position, code in measures:
            value = tidy[position]
            if value is None:
                continue
            text = str(value) if isinstance(value, int) else _number(float(value))  # type: ignore[arg-type]
            rows.append([*start, unit, codes[node], code, text, comment])
    return header, rows


def _plain(cell: object) -> str:
    """A unit or node id back from its (possibly neutralised) tidy cell."""
    text = str(cell)
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) else text


def write_sdmx_csv(release: Release, path: Path, agency: str = SDMX_AGENCY, version: str = "2.0") -> Path:
    """SDMX-CSV (2.0 by default, 1.0 on request): one observation per unit, indicator and measure."""
    header, rows = sdmx_rows(release, agency, version)
    return _write_rows(path, header, rows)


def sdmx_structure(release: Release, framework: Framework | None = None, agency: str = SDMX_AGENCY) -> bytes:
    """The SDMX-ML 2.1 structure of the SDMX-CSV export: codelists of countries, nodes and measures, the data
    structure definition and the dataflow its STRUCTURE_ID names (labels from ``framework`` when given)."""
    from govlens.reports import sdmx

    codes = sdmx_codes(release)
    labels = sdmx.node_labels(framework, list(codes))
    columns = tidy_columns(release)
    return sdmx.structure_xml(
        dataflow=sdmx_dataflow_parts(release, agency),
        units=list(release.results.units),
        nodes=[(code, labels[node]) for node, code in codes.items()],
        measures=[code for name, code in SDMX_MEASURES.items() if name in columns],
        title=f"{release.inputs.framework_id} {release.inputs.framework_version}",
        prepared=release.created,
    )


def write_sdmx_structure(release: Release, path: Path, framework: Framework | None = None,
                         agency: str = SDMX_AGENCY) -> Path:
    """``sdmx_structure`` written to ``path`` (an .xml file)."""
    from govlens.reports import sdmx

    return sdmx.write(path, sdmx_structure(release, framework, agency))


# -- Frictionless data package --------------------------------------------------------------------------------
def _package_name(release: Release) -> str:
    return re.sub(r"[^a-z0-9._-]", "-", f"govlens-{release.id}".lower())


_DATES = frozenset({"start", "due", "done_on"})


def _plan_resource(name: str, columns: Sequence[str], key: list[str]) -> dict[str, Any]:
    numbers = {"action", "milestone"}
    fields: list[dict[str, Any]] = [
        {"name": column, "type": "integer" if column in numbers else "date" if column in _DATES else "string"}
        for column in columns
        if column != "synthetic"
    ]
    fields.append({"name": "synthetic", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"]})
    return _csv_resource(name.replace(" ", "_"), {"fields": fields, "primaryKey": key, "missingValues": [""]})


def _csv_resource(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A tabular data resource of the package: ``name``.csv, UTF-8, described by its table ``schema``."""
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def datapackage_descriptor(
    release: Release, licence: Licence = DEFAULT_LICENCE, plans: Sequence[ActionPlan] = ()
) -> dict[str, Any]:
    """The ``datapackage.json`` of a release (Data Package v1 with Table Schemas); with ``plans``, the action
    plans and milestones are two more resources."""
    inputs = release.inputs
    description = (
        f"Scores and ranks of GovLens release {release.id} (cycle {release.cycle}, framework {inputs.framework_id} "
        f"{inputs.framework_version}); content hash sha256:{release.hash}."
    )
    if release.synthetic:
        description = f"{release.synthetic_label('en')} {description}"
    score_fields: list[dict[str, Any]] = [
        {"name": "release", "type": "string", "constraints": {"required": True}},
        {"name": "unit", "type": "string", "description": "ISO 3166-1 alpha-3", "constraints": {"required": True}},
        {
            "name": "node",
            "type": "string",
            "description": "node of the indicator tree",
            "constraints": {"required": True},
        },
        {"name": "score", "type": "number"},
        {"name": "rank", "type": "integer", "constraints": {"minimum": 1}},
    ]
    if release.results.intervals is not None:
        score_fields += [
            {"name": "rank_p05", "type": "number", "description": "5th percentile rank (uncertainty analysis)"},
            {"name": "rank_p95", "type": "number", "description": "95th percentile rank (uncertainty analysis)"},
        ]
    score_fields.append({"name": "synthetic", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"]})
    extra = (
        [
            _plan_resource("action_plans", ACTION_COLUMNS, ["cycle", "country", "action"]),
            _plan_resource("milestones", MILESTONE_COLUMNS, ["cycle", "country", "action", "milestone"]),
        ]
        if plans
        else []
    )
    return {
        "profile": "tabular-data-package",
        "name": _package_name(release),
        "title": f"GovLens release {release.id}" + (" (synthetic demo data)" if release.synthetic else ""),
        "description": description,
        "version": "1.0.0",
        "created": release.created,
        "licenses": [{"name": licence.name, "title": licence.title, "path": licence.path}],
        # the release file itself is in the package: a source outside it would be a dangling path
        "sources": [{"title": f"GovLens release {release.id} (frozen answers, settings and results)",
                     "path": RELEASE_FILE}],
        "keywords": ["digital government", "composite index", inputs.framework_id],
        "govlens": {
            "release": release.id,
            "hash": release.hash,
            "synthetic": release.synthetic,
            # a partial release says so, and which countries it leaves out
            **({"partial": True, "not_approved": dict(release.not_approved)} if release.partial else {}),
        },
        "resources": [
            _csv_resource(
                "scores",
                {
                    "fields": score_fields,
                    "primaryKey": ["unit", "node"],
                    "foreignKeys": [{"fields": "node", "reference": {"resource": "nodes", "fields": "node"}}],
                    "missingValues": [""],
                },
            ),
            _csv_resource(
                "nodes",
                {
                    "fields": [
                        {"name": "node", "type": "string", "constraints": {"required": True, "unique": True}},
                        {"name": "parent", "type": "string"},
                        {
                            "name": "kind",
                            "type": "string",
                            "constraints": {"enum": ["index", "pillar", "sub_pillar", "indicator"]},
                        },
                        {"name": "weight", "type": "number", "constraints": {"minimum": 0}},
                        {"name": "label", "type": "string"},
                    ],
                    "primaryKey": ["node"],
                    # a parent is a node of the same table (the root has none)
                    "foreignKeys": [{"fields": "parent", "reference": {"resource": "", "fields": "node"}}],
                    "missingValues": [""],
                },
            ),
            _csv_resource(
                "answers",
                {
                    "fields": [
                        {"name": "release", "type": "string"},
                        {"name": "unit", "type": "string"},
                        {"name": "question", "type": "string"},
                        {"name": "answer", "type": "string"},
                    ],
                    "primaryKey": ["unit", "question"],
                    "missingValues": [""],
                },
            ),
            *extra,
        ],
    }


def write_datapackage(
    release: Release, directory: Path, licence: Licence = DEFAULT_LICENCE, plans: Sequence[ActionPlan] = ()
) -> Path:
    """``datapackage.json`` with scores.csv, nodes.csv, answers.csv and the release file (its source) in
    ``directory`` (and action_plans.csv and milestones.csv with ``plans``); returns the descriptor."""
    from govlens.release import write_release

    directory.mkdir(parents=True, exist_ok=True)
    write_release(release, directory / RELEASE_FILE)
    if plans:
        write_plans_csv(plans, directory / "action_plans.csv", directory / "milestones.csv")
    write_csv(release, directory / "scores.csv")
    _write_rows(directory / "nodes.csv", ["node", "parent", "kind", "weight", "label"], nodes_rows(release))
    _write_rows(directory / "answers.csv", ["release", "unit", "question", "answer"], answers_rows(release))
    descriptor = directory / "datapackage.json"
    descriptor.write_text(
        json.dumps(datapackage_descriptor(release, licence, plans), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return descriptor


def export(
    release: Release,
    format: str,
    out: Path,
    licence: Licence = DEFAULT_LICENCE,
    plans: Sequence[ActionPlan] = (),
) -> Path:
    """Write ``release`` in one of ``EXPORT_FORMATS`` to ``out`` (a file; a folder for ``datapackage``). The XLSX
    and the data package also hold ``plans`` (the action plans answering its recommendations) when given; in
    CSV they are files of their own (:func:`write_plans_csv`)."""
    if format == "csv":
        return write_csv(release, out)
    if format == "xlsx":
        return write_xlsx(release, out, licence, plans=plans)
    if format == "sdmx-csv":
        return write_sdmx_csv(release, out)
    if format == "sdmx-csv-1.0":
        return write_sdmx_csv(release, out, version="1.0")
    if format == "sdmx-structure":
        return write_sdmx_structure(release, out)
    if format == "datapackage":
        return write_datapackage(release, out, licence, plans)
    raise ValueError(f"format must be one of {{{', '.join(EXPORT_FORMATS)}}}; got {format!r}")
