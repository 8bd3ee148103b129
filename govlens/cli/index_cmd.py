"""``govlens index ...``: compute composite indices, audit them, measure their uncertainty."""

from __future__ import annotations

import functools
import inspect
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from govlens import tabular
from govlens.cli.problems import echo_problems
from govlens.index.settings import Settings, UncertaintySettings, cli_options, parse_option  # standard library only

DEFAULT_SETTINGS = Settings()

if TYPE_CHECKING:  # the engine (numpy, pandas) is imported by the command that runs, to keep start-up quick
    import pandas as pd

    from govlens.index.errors import IndexInputError
    from govlens.index.io import Dataset
    from govlens.index.pipeline import IndexResult
    from govlens.index.tree import Tree

app = typer.Typer(help="Composite index engine: compute, audit, uncertainty.", no_args_is_help=True)

FrameworkOpt = Annotated[
    str, typer.Option("--framework", help="Framework name or file, or a tree CSV (id,parent,weight,direction,label).")
]
DataOpt = Annotated[
    Path,
    typer.Option(
        "--data",
        help="CSV, XLSX or XLS (a unit column, one column per indicator), or a public dataset: NAME or NAME-YEAR.",
    ),
]
UnitColOpt = Annotated[str, typer.Option("--unit-col", help="Column holding the unit id (e.g. ISO3 code).")]
GroupColOpt = Annotated[
    str | None, typer.Option("--group-col", help="Column holding each unit's group (for group imputation).")
]
SheetOpt = Annotated[
    str | None, typer.Option("--sheet", help="Worksheet of an XLSX/XLS data file (default: the first).")
]
PreviousOpt = Annotated[Path | None, typer.Option("--previous", help="Last cycle's data, for --impute carry-forward.")]


def engine_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` one option per engine setting and call it with them as one ``settings: Settings``.

    The options come from the fields of :class:`govlens.index.settings.Settings` (flag, help, default), so
    they are declared once, there, for every command (that module loads no numpy or pandas)."""
    types = {"str": str, "int": int, "float": float}
    fields = cli_options()
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "settings"]

    # a per-level setting is a comma-separated list, a per-indicator one "ID=...; ID=..." (parsed by
    # settings.parse_option)
    def kind(f: Any) -> tuple[Any, Any]:
        if f.metadata.get("list"):
            return str, ",".join(str(v) for v in f.default)
        if f.metadata.get("per_indicator"):
            return str | None, None
        return types[str(f.type)], f.default

    added = [
        inspect.Parameter(
            f.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=kind(f)[1],
            annotation=Annotated[kind(f)[0], typer.Option(f.metadata["flag"], help=f.metadata["help"])],
        )
        for f in fields
    ]
    parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + added

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        try:
            settings = Settings(**{f.name: parse_option(f, kwargs.pop(f.name)) for f in fields})
        except ValueError as error:
            raise _fail(f"error: {error}") from None
        command(settings=settings, **kwargs)

    wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    return wrapper


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)


def _print_problems(error: IndexInputError) -> None:
    echo_problems(error.report.problems)


@contextmanager
def _atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` only if the block succeeds."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OSError(f"{path}: the folder {directory} does not exist")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def _check_folder(*paths: Path | None) -> None:
    """Refuse before any work when an output's folder does not exist."""
    for path in paths:
        if path is not None and not (path.parent if str(path.parent) else Path(".")).is_dir():
            raise OSError(f"{path}: the folder {path.parent} does not exist")


def _keep_freed_memory() -> None:
    """Let glibc's allocator keep the memory the engine frees for the next blocks instead of giving it back to the
    system at once: each page given back is faulted in again by the next block (a tenth of ``index uncertainty``'s
    time on a small virtual machine). No effect where the C library has no ``mallopt``."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(-3, 64 << 20)  # M_MMAP_THRESHOLD: blocks below 64 MiB come from the heap, where freed memory is reused
    mallopt(-1, 128 << 20)  # M_TRIM_THRESHOLD: the heap's free top goes back to the system beyond 128 MiB only


def _finish(tables: Sequence[tuple[Path | None, pd.DataFrame | None]], lines: Sequence[str]) -> None:
    """Write each table given a path as a CSV (each atomically), then print ``lines``: the work that could fail
    is done before, so a failed command leaves no file."""
    for path, frame in tables:
        if path is not None and frame is not None:
            with _atomic_output(path) as temporary:
                tabular.write_frame(frame, temporary)
    for line in lines:
        typer.echo(line)


def _run(action: Callable[[], None]) -> None:
    """Run a command body: expected errors become a message and exit code 1, never a traceback."""
    from govlens.index.errors import IndexInputError

    _keep_freed_memory()
    try:
        action()
    except IndexInputError as error:
        _print_problems(error)
        raise typer.Exit(code=1) from None
    except ValueError as error:
        raise _fail(f"error: {error}") from None
    except OSError as error:
        raise _fail(f"error: {error}") from None


def _inputs(
    framework: str,
    data: Path,
    unit_col: str,
    group_col: str | None,
    sheet: str | None,
    previous: Path | None,
    settings: Settings,
    *more: Settings,
) -> tuple[Tree, Dataset, Dataset | None]:
    """The tree, the data (with the denominator columns of ``settings`` and ``more``) and the previous data."""
    from govlens.index.denominate import denominators
    from govlens.index.io import load_tree, looks_like_file, read_data

    tree = load_tree(framework)
    if looks_like_file(str(data)):
        extra = [column for chosen in (settings, *more) for column, _ in denominators(tree, chosen).values()]
        dataset = read_data(
            data, unit_column=unit_col, group_column=group_col, indicators=tree.leaves, sheet=sheet, extra=extra
        )
    else:
        from govlens.data.index_input import dataset_for_tree

        dataset = dataset_for_tree(str(data), tree)
    echo_problems(dataset.report.warnings)
    previous_data = None
    if previous is not None:
        previous_data = read_data(previous, unit_column=unit_col, indicators=tree.leaves)
    return tree, dataset, previous_data


def _compute_summary(result: IndexResult, out: Path) -> list[str]:
    """The lines ``govlens index compute`` prints once the results are written."""
    tree = result.tree
    index_scores = result.scores[tree.root].dropna()
    if index_scores.empty:
        top = "no unit has a score: every indicator is constant or missing, or there is only one unit"
    else:
        top = f"top {index_scores.idxmax()} {index_scores.max():.3g}"
    lines = [f"{len(result.scores)} units x {len(tree.node_ids)} nodes -> {out} (index {tree.root}: {top})"]
    screened = result.prepared.screener.excluded_units_
    if screened:
        stage = " after imputation" if result.settings.screen_stage == "imputed" else ""
        lines.append(f"screened out{stage}: {', '.join(screened)} (details: govlens index audit, coverage sheet)")
    if result.settings.impute != "none":
        lines.append(f"imputed ({result.settings.impute}): {len(result.prepared.imputer.table())} values")
    if result.settings.treat != "none":
        actions = result.prepared.treater.table()["action"].value_counts()
        lines.append(
            f"treated: {actions.get('winsorised', 0)} indicators Winsorised, "
            f"{actions.get('log', 0)} log-transformed (details: govlens index audit)"
        )
    return lines


@app.command("compute")
@engine_options
def compute_cmd(
    framework: FrameworkOpt,
    data: DataOpt,
    out: Annotated[Path, typer.Option("--out", help="Results CSV: unit,node,score,rank (,group).")],
    unit_col: UnitColOpt = "unit",
    group_col: GroupColOpt = None,
    sheet: SheetOpt = None,
    previous: PreviousOpt = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> None:
    """Compute scores and ranks of every unit at every node of the tree."""

    def action() -> None:
        from govlens.index.pipeline import compute

        settings.validate()
        _check_folder(out)
        tree, dataset, previous_data = _inputs(framework, data, unit_col, group_col, sheet, previous, settings)
        result = compute(dataset, tree, settings, previous_data.values if previous_data is not None else None)
        echo_problems(result.prepared.warnings())
        table = result.table()
        # everything that could still fail runs before the results file is written: no file on failure
        lines = _compute_summary(result, out)
        _finish([(out, table)], lines)  # full precision: every number reads back the same

    _run(action)


@app.command("audit")
@engine_options
def audit_cmd(
    framework: FrameworkOpt,
    data: DataOpt,
    out: Annotated[Path | None, typer.Option("--out", help="Audit workbook (.xlsx), one sheet per table.")] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Audit report (.html) with the analysis charts and their tables; works offline."),
    ] = None,
    language: Annotated[
        str, typer.Option("--language", help="Language of the --html report: en, es, pt or fr.")
    ] = "en",
    replications: Annotated[
        int, typer.Option("--replications", help="Monte Carlo replications for the rank intervals (0: none).")
    ] = 0,
    sobol_n: Annotated[
        int, typer.Option("--sobol-n", help="Base samples of a Sobol analysis (0: none; needs --replications).")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random draws (same seed, same numbers).")] = 0,
    unit_col: UnitColOpt = "unit",
    group_col: GroupColOpt = None,
    sheet: SheetOpt = None,
    previous: PreviousOpt = None,
    settings: Settings = DEFAULT_SETTINGS,
    weak_below: Annotated[
        float, typer.Option("--weak-below", help="Flag nodes whose correlation with their parent is below this.")
    ] = 0.3,
) -> None:
    """Audit an index: correlations, Cronbach's alpha, PCA, flags, treated and imputed points; with --html, the
    analysis charts (framework, distributions, correlations, rank intervals, sensitivity)."""

    def action() -> None:
        from govlens.i18n import check_language
        from govlens.index.audit import audit
        from govlens.index.pipeline import compute

        settings.validate()
        if out is None and html is None:
            raise ValueError("give --out (an .xlsx workbook), --html (a report) or both")
        if out is not None and out.suffix.lower() != ".xlsx":
            raise ValueError(f"--out must be an .xlsx file; got {str(out)!r}")
        if html is not None and html.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"--html must be an .html file; got {str(html)!r}")
        check_language(language)
        if replications < 0:
            raise ValueError(f"--replications must be 0 (none) or more; got {replications}")
        if sobol_n < 0 or sobol_n == 1 or (sobol_n and not replications):
            raise ValueError(f"--sobol-n must be 0 (none) or >= 2, with --replications; got {sobol_n}")
        _check_folder(out, html)
        tree, dataset, previous_data = _inputs(framework, data, unit_col, group_col, sheet, previous, settings)
        before = previous_data.values if previous_data is not None else None
        analysis, design = None, None
        if replications:
            from govlens.index.uncertainty import uncertainty

            design = replace(UncertaintySettings.defaults_for(settings, replications, seed), sobol_base=sobol_n)
            analysis = uncertainty(dataset, tree, settings, design, previous=before, sobol_base=design.sobol_base)
            result = analysis.nominal
        else:
            result = compute(dataset, tree, settings, before)
        report = audit(result, weak_below=weak_below)
        lines = report.summary()  # before the files are written: no file on failure
        page = None
        if html is not None:
            from govlens.reports.index_analysis import render_audit

            page = render_audit(
                result,
                report,
                framework=framework,
                source=str(data),
                language=language,
                uncertainty=analysis,
                design=design,
            )
        if out is not None:
            with _atomic_output(out) as temporary:
                report.to_excel(temporary)
        if html is not None and page is not None:
            with _atomic_output(html) as temporary:
                temporary.write_text(page, encoding="utf-8")
        for line in lines:
            typer.echo(line)
        for path in (out, html):
            if path is not None:
                typer.echo(f"audit -> {path}")

    _run(action)


def _options(text: str | None, name: str) -> tuple[str, ...]:
    if text is None:
        return ()
    options = tuple(part.strip() for part in text.split(",") if part.strip())
    if not options:
        raise ValueError(f"{name} must list options separated by commas; got {text!r}")
    return options


def _numbers(text: str | None, name: str, kind: type[float] | type[int], what: str) -> tuple[Any, ...]:
    """``text`` as numbers of ``kind`` separated by commas (empty when the option is not given)."""
    try:
        return tuple(kind(part) for part in _options(text, name))
    except ValueError:
        raise ValueError(f"{name} must list {what} separated by commas; got {text!r}") from None


class _ProgressBar:
    """A one-line progress bar on stderr (the results go to stdout and files)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        if filled == self.shown and done < total:
            return
        self.shown = filled
        bar = "#" * filled + "." * (width - filled)
        end = "\n" if done >= total else ""
        typer.echo(f"\r{self.label} [{bar}] {done}/{total}{end}", err=True, nl=False)


@app.command("uncertainty")
@engine_options
def uncertainty_cmd(
    framework: FrameworkOpt,
    data: DataOpt,
    out: Annotated[
        Path,
        typer.Option("--out", help="CSV: unit,node,nominal_rank,median_rank,rank_p05,rank_p95,score_p05,score_p95."),
    ],
    replications: Annotated[int, typer.Option("--replications", help="Monte Carlo replications.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random draws (same seed, same numbers).")] = 0,
    vary_impute: Annotated[
        str | None, typer.Option("--vary-impute", help="Imputations to draw from, e.g. mean,median.")
    ] = None,
    vary_treat: Annotated[
        str | None, typer.Option("--vary-treat", help="Treatments to draw from, e.g. none,winsorise (on or off).")
    ] = None,
    vary_winmax: Annotated[
        str | None, typer.Option("--vary-winmax", help="Winsorisation limits to draw from, e.g. 3,5,10.")
    ] = None,
    vary_skew_thresh: Annotated[
        str | None, typer.Option("--vary-skew-thresh", help="Skewness thresholds of the treatment, e.g. 1.5,2.")
    ] = None,
    vary_kurt_thresh: Annotated[
        str | None, typer.Option("--vary-kurt-thresh", help="Kurtosis thresholds of the treatment, e.g. 3.5,5.")
    ] = None,
    vary_weight_sets: Annotated[
        str | None,
        typer.Option(
            "--vary-weight-sets", help="Weights to draw from: methods or the tree's weight sets, e.g. framework,equal."
        ),
    ] = None,
    vary_normalise: Annotated[
        str | None,
        typer.Option("--vary-normalise", help="Normalisations to draw from (default: the nominal one, minmax, rank)."),
    ] = None,
    vary_aggregate: Annotated[
        str | None,
        typer.Option(
            "--vary-aggregate", help="Aggregations to draw from (default: the nominal mean, arithmetic, geometric)."
        ),
    ] = None,
    vary_coverage: Annotated[
        str | None,
        typer.Option("--vary-coverage", help="Coverage thresholds to draw from, e.g. 0,0.5."),
    ] = None,
    vary_weights: Annotated[
        float | None, typer.Option("--vary-weights", help="Weights times U(1-r, 1+r) (default r = 0.25).")
    ] = None,
    drop_indicator: Annotated[
        bool, typer.Option("--drop-indicator", help="Also drop none or one indicator at random.")
    ] = False,
    sobol_n: Annotated[
        int, typer.Option("--sobol-n", help="Base samples of a Sobol sensitivity analysis, e.g. 1000 (0: none).")
    ] = 0,
    sensitivity_out: Annotated[
        Path | None, typer.Option("--sensitivity-out", help="Also write the sensitivity table to this CSV.")
    ] = None,
    unit_col: UnitColOpt = "unit",
    group_col: GroupColOpt = None,
    sheet: SheetOpt = None,
    previous: PreviousOpt = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> None:
    """Rank intervals under uncertain choices (Monte Carlo) and Sobol sensitivity of the ranks."""

    def action() -> None:
        import numpy as np

        from govlens.index.uncertainty import UncertaintyEngine, monte_carlo_design

        settings.validate()
        given = (
            vary_impute,
            vary_treat,
            vary_winmax,
            vary_skew_thresh,
            vary_kurt_thresh,
            vary_weight_sets,
            vary_normalise,
            vary_aggregate,
            vary_coverage,
            vary_weights,
        )
        if all(option is None for option in given) and not drop_indicator:
            inputs = UncertaintySettings.defaults_for(settings, replications, seed)
        else:
            inputs = UncertaintySettings(
                replications=replications,
                seed=seed,
                impute=_options(vary_impute, "--vary-impute"),
                treat=_options(vary_treat, "--vary-treat"),
                winmax=_numbers(vary_winmax, "--vary-winmax", int, "integers >= 0"),
                skew_thresh=_numbers(vary_skew_thresh, "--vary-skew-thresh", float, "numbers >= 0"),
                kurt_thresh=_numbers(vary_kurt_thresh, "--vary-kurt-thresh", float, "numbers"),
                weight_sets=_options(vary_weight_sets, "--vary-weight-sets"),
                normalise=_options(vary_normalise, "--vary-normalise"),
                aggregate=_options(vary_aggregate, "--vary-aggregate"),
                coverage_threshold=_numbers(vary_coverage, "--vary-coverage", float, "numbers in [0, 1]"),
                weight_range=vary_weights or 0.0,
                drop_indicator=drop_indicator,
            )
        if replications < 1:
            raise ValueError(f"--replications must be >= 1; got {replications}")
        inputs.validate()
        if sobol_n < 0 or sobol_n == 1:
            raise ValueError(f"--sobol-n must be 0 (skip) or >= 2; got {sobol_n}")
        _check_folder(out, sensitivity_out)
        tree, dataset, previous_data = _inputs(framework, data, unit_col, group_col, sheet, previous, settings)
        engine = UncertaintyEngine(
            dataset, tree, settings, inputs, previous_data.values if previous_data is not None else None
        )
        if not engine.factors:
            raise ValueError("nothing is uncertain: give at least two options to a --vary-... option")
        design = monte_carlo_design(engine.columns, inputs.replications, inputs.seed)
        table = engine.distributions(design, _ProgressBar("uncertainty"))
        sensitivity = None
        if sobol_n:
            from govlens.index.sensitivity import sobol  # only when asked

            runs = sobol_n * (len(engine.factors) + 2)
            sensitivity = sobol(engine, sobol_n, seed, progress=_ProgressBar(f"sensitivity ({runs} runs)"))
        # the summary first: nothing that could fail runs after the files are written
        varied = ", ".join(f.name for f in engine.factors)
        lines = [f"{replications} replications over {varied} (seed {seed}) -> {out}"]
        index = table[table["node"] == tree.root]
        interval = (index["rank_p95"] - index["rank_p05"]).to_numpy(dtype=float)
        units = index["unit"].to_numpy()[~np.isnan(interval)]
        width = interval[~np.isnan(interval)]
        if width.size == 0:
            lines.append(f"index {tree.root}: no unit has a rank interval (no unit has an index score)")
        else:
            lines.append(
                f"index {tree.root}: median width of the 5-95% rank interval {np.median(width):.0f} places; "
                f"widest {units[int(np.argmax(width))]} ({width.max():.0f})"
            )
        if sensitivity is not None:
            lines.append("sensitivity of the index ranks (mean absolute rank shift), Sobol indices:")
            lines.append(f"  {'input':<10} {'first order':>18} {'total order':>18}")
            for row in sensitivity.itertuples(index=False):
                lines.append(
                    f"  {row.input:<10} {row.first_order:>9.3f} ± {row.first_order_conf:<6.3f}"
                    f" {row.total_order:>9.3f} ± {row.total_order_conf:<6.3f}"
                )
        _finish([(out, table), (sensitivity_out, sensitivity)], lines)

    _run(action)


def _targets(text: str) -> dict[str, float] | None:
    """``--targets``: "equal" (None) or NODE=IMPORTANCE pairs separated by commas."""
    if text.strip().lower() == "equal":
        return None
    targets: dict[str, float] = {}
    for part in _options(text, "--targets"):
        node, _, value = part.partition("=")
        try:
            targets[node.strip()] = float(value)
        except ValueError:
            raise ValueError(
                f"--targets must be 'equal' or NODE=NUMBER pairs separated by commas; got {part!r}"
            ) from None
    return targets


@app.command("optimise-weights")
@engine_options
def optimise_weights_cmd(
    framework: FrameworkOpt,
    data: DataOpt,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Tree CSV with the optimised weights as a weight:NAME column, or (for a framework) the framework "
            "as YAML with them in weight_sets.",
        ),
    ],
    level: Annotated[
        int, typer.Option("--level", help="Level whose weights are optimised: 0 the indicators, 1 their aggregates...")
    ],
    targets: Annotated[
        str, typer.Option("--targets", help="Target importances: equal, or NODE=NUMBER,... (relative).")
    ] = "equal",
    correlation: Annotated[
        str, typer.Option("--correlation", help="pearson|spearman|kendall: how importance is measured.")
    ] = "pearson",
    against: Annotated[
        str, typer.Option("--against", help="index|parent: correlate each node with the index or with its parent.")
    ] = "index",
    name: Annotated[str, typer.Option("--name", help="Name of the weight set written.")] = "optimised",
    tolerance: Annotated[
        float, typer.Option("--tolerance", help="Largest gap between achieved and target shares that counts as met.")
    ] = 0.01,
    report_out: Annotated[
        Path | None, typer.Option("--report", help="Also write the target and achieved shares to this CSV.")
    ] = None,
    unit_col: UnitColOpt = "unit",
    group_col: GroupColOpt = None,
    sheet: SheetOpt = None,
    previous: PreviousOpt = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> None:
    """Weights of one level whose correlations with the index (or their parent) match target importances; writes
    the tree with them as a named weight set (use it with --weights NAME). Exit code 2 when the targets are not met."""
    met = True

    def action() -> None:
        nonlocal met
        from govlens.index.optimise import optimise_weights

        settings.validate()
        _check_folder(out, report_out)
        as_yaml = out.suffix.lower() in (".yaml", ".yml")
        if as_yaml and framework.lower().endswith(".csv"):
            raise ValueError("--out as YAML needs a framework (--framework NAME or file), not a tree CSV")
        if not as_yaml and out.suffix.lower() != ".csv":
            raise ValueError(f"--out must be a .csv tree or a .yaml framework; got {str(out)!r}")
        wanted = _targets(targets)
        tree, dataset, previous_data = _inputs(framework, data, unit_col, group_col, sheet, previous, settings)
        found = optimise_weights(
            dataset,
            tree,
            settings,
            level=level,
            targets=wanted,
            correlation_method=correlation,
            against=against,
            name=name,
            tolerance=tolerance,
            previous=previous_data.values if previous_data is not None else None,
        )
        table = None if as_yaml else found.tree(tree).to_frame()
        lines = [f"weight set {name!r}: level {level}, {correlation} correlation with the {against} -> {out}"]
        lines.append(f"  {'node':<12} {'target':>8} {'achieved':>9} {'weight':>8}")
        for row in found.report.itertuples(index=False):
            lines.append(f"  {row.node:<12} {row.target:>8.3f} {row.achieved:>9.3f} {row.weight:>8.4f}")
        if found.reached:
            lines.append(f"targets met: largest gap {found.largest_gap:.2g} <= {tolerance:g}")
        else:
            lines.append(
                f"targets not met: largest gap {found.largest_gap:.2g} > {tolerance:g} (weights written anyway)"
            )
        if as_yaml:
            import dataclasses

            from govlens.framework import catalogue
            from govlens.framework.yaml_io import dump_yaml

            loaded = catalogue.load(framework)
            sets = {**loaded.weight_sets, name: found.weights}
            text = dump_yaml(dataclasses.replace(loaded, weight_sets=sets))
            with _atomic_output(out) as temporary:
                temporary.write_text(text, encoding="utf-8")
        _finish([(out, table), (report_out, found.report)], lines)
        met = found.reached

    _run(action)
    if not met:
        raise typer.Exit(code=2)


def _settings_file(path: Path, base: Settings) -> Settings:
    """The engine settings of a YAML or JSON file (the keys of a framework's ``index:`` section) over ``base``."""
    import yaml

    from govlens.release.settings import index_settings_from

    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: cannot read the settings: {error}") from None
    return index_settings_from(values, str(path), base)


def _is_results(path: Path) -> bool:
    return path.suffix.lower() in {".csv", ".xlsx", ".xls", ".xlsm"}


@app.command("compare")
@engine_options
def compare_cmd(
    out: Annotated[Path, typer.Option("--out", help="CSV: unit,node,score_a,score_b,rank_a,rank_b,rank_change.")],
    a: Annotated[
        Path | None,
        typer.Option("--a", help="Build a: a results file (.csv from index compute) or a settings file (.yaml/.json)."),
    ] = None,
    b: Annotated[Path | None, typer.Option("--b", help="Build b: a results file or a settings file (as --a).")] = None,
    framework: Annotated[
        str | None, typer.Option("--framework", help="Framework or tree CSV, to compute builds from settings.")
    ] = None,
    data: Annotated[Path | None, typer.Option("--data", help="Data, to compute builds from settings.")] = None,
    influence: Annotated[
        Path | None,
        typer.Option("--influence", help="Also write how far build a's index ranks move without each indicator."),
    ] = None,
    unit_col: UnitColOpt = "unit",
    group_col: GroupColOpt = None,
    sheet: SheetOpt = None,
    previous: PreviousOpt = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> None:
    """Compare two builds of an index: the rank changes of every unit at every node (COINr's compare_coins).
    A build is a results file or a settings file; a settings file's keys override this command's engine options,
    and a build left out is those options."""

    def action() -> None:
        from govlens.index.compare import compare_builds, leave_one_out, rank_moves
        from govlens.index.io import read_results

        settings.validate()
        _check_folder(out, influence)
        files = [path for path in (a, b) if path is not None and _is_results(path)]
        computed = [path for path in (a, b) if path is None or not _is_results(path)]
        if (computed or influence is not None) and (framework is None or data is None):
            raise ValueError("--framework and --data are needed to compute a build from settings (or --influence)")
        if influence is not None and a is not None and _is_results(a):
            raise ValueError("--influence needs build a computed (from settings), not read from a results file")
        builds: dict[str, Any] = {}
        root: str | None = None
        if computed or influence is not None:
            from govlens.index.pipeline import compute

            assert framework is not None and data is not None
            chosen = {
                label: settings if path is None else _settings_file(path, settings)
                for label, path in (("a", a), ("b", b))
                if path is None or not _is_results(path)
            }
            tree, dataset, previous_data = _inputs(
                framework, data, unit_col, group_col, sheet, previous, settings, *chosen.values()
            )
            before = previous_data.values if previous_data is not None else None
            root = tree.root
            for label, build_settings in chosen.items():
                builds[label] = compute(dataset, tree, build_settings, before)
        for label, path in (("a", a), ("b", b)):
            if path is not None and path in files:
                builds[label] = read_results(path)
        table = compare_builds(builds["a"], builds["b"])
        if table.empty:
            raise ValueError("the two builds share no unit and node: nothing to compare")
        nodes = list(dict.fromkeys(table["node"]))
        if root is None or root not in nodes:
            root = nodes[-1]  # results files list the index last
        moves = rank_moves(table, root)
        units = len(set(table["unit"]))
        lines = [f"{units} units x {len(nodes)} nodes compared -> {out}"]
        if moves.units == 0:
            lines.append(f"index {root}: no unit is ranked in both builds")
        else:
            lines.append(
                f"index {root}: {moves.moved} of {moves.units} units change rank, "
                f"mean absolute change {moves.mean_abs_change:.2f} places"
            )
            for word, move in (("rises most", moves.up), ("falls most", moves.down)):
                if move is not None:
                    lines.append(f"  {word}: {move[0]} ({move[1]:.0f} -> {move[2]:.0f})")
        loo = None
        if influence is not None:
            loo = leave_one_out(dataset, tree, builds["a"].settings, before)
            lines.append(f"influence of each indicator on build a's index ranks -> {influence}")
        _finish([(out, table), (influence, loo)], lines)

    _run(action)
