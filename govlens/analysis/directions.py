"""The direction the seed review gives each finding, and whether the generated statements follow it.

The table (``directions/<framework>.yaml``, format in ``docs/analysis.md``) says, for each rule of a rules file,
what share of countries the seed reports for what the rule counts: a word (``few``, ``minority``,
``about_half``, ``most`` ...) that allows some quantifier bands of :mod:`govlens.analysis.quantifiers`, an
explicit share where the seed gives one (88% for F01) and a short quotation of the seed's words it is read
from. :func:`check_directions` compares the statements of a review with it: the demo's synthetic answers are
calibrated so that every finding agrees (tested over many seeds), and a real review can use the same check to
see where its countries depart from the seed's picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import yaml

from govlens.analysis.narrative import RuleSet, Statement
from govlens.analysis.quantifiers import BANDS, format_share
from govlens.framework.findings import FINDINGS

__all__ = [
    "DIRECTIONS",
    "DIRECTIONS_DIR",
    "Direction",
    "DirectionCheck",
    "DirectionTable",
    "DirectionsInvalid",
    "check_directions",
    "finding_agreement",
    "load_directions",
]

DIRECTIONS_DIR = Path(__file__).parent / "directions"
DIRECTIONS_FORMAT = 1

# Each direction word and the quantifier bands (quantifiers.BANDS keys) a statement may use to agree with it.
DIRECTIONS: Mapping[str, tuple[str, ...]] = {
    "none": ("none",),
    "few": ("few",),
    "minority": ("few", "minority"),
    "half_or_less": ("none", "few", "minority", "about_half"),
    "about_half": ("about_half",),
    "modest_majority": ("modest_majority",),
    "majority": ("modest_majority", "most", "almost_all", "all"),
    "most": ("most", "almost_all"),
    "almost_all": ("almost_all",),
}
# at most half: the upper end of the about_half band is above 1/2
_AT_MOST: Mapping[str, Fraction] = {"half_or_less": Fraction(1, 2)}
assert {key for keys in DIRECTIONS.values() for key in keys} <= {band.key for band in BANDS}


@dataclass(frozen=True)
class Direction:
    """What the seed says about the share a rule counts."""

    finding: str
    rule: str
    direction: str
    seed: str
    share: Fraction | None = None  # an explicit share of the seed (F01: 88%)
    above: Fraction | None = None  # the share must be strictly above this (F07: "above 80%")
    recommend: bool = True  # whether the seed's point calls for the rule's recommendation

    @property
    def bands(self) -> tuple[str, ...]:
        return DIRECTIONS[self.direction]

    def problems(self, statement: Statement) -> list[str]:
        """Why a statement does not follow this direction (empty when it does)."""
        share, figure = statement.share, statement.figure
        if share is None or figure is None:
            return ["the statement has no share"]
        found: list[str] = []
        if statement.quantifier not in self.bands:
            found.append(f"says '{statement.quantifier}'; the seed says {self.direction} ({', '.join(self.bands)})")
        ceiling = _AT_MOST.get(self.direction)
        if ceiling is not None and share > ceiling:
            found.append(f"share {format_share(share)} is above {format_share(ceiling)}")
        if self.above is not None and not share > self.above:
            found.append(f"share {format_share(share)} is not above {format_share(self.above)}")
        total = getattr(figure, "total", 0)
        if self.share is not None and total:
            expected = self.share * total
            count = getattr(figure, "count", 0)
            if abs(count - expected) > Fraction(1, 2):
                seed_share = format_share(self.share)
                found.append(f"counts {count} of {total}; the seed's {seed_share} is {float(expected):.1f}")
        return found


@dataclass(frozen=True)
class DirectionTable:
    framework_id: str
    rules_id: str
    directions: tuple[Direction, ...]
    path: str = ""

    def for_rule(self, rule_id: str) -> Direction | None:
        return next((item for item in self.directions if item.rule == rule_id), None)

    def findings(self) -> tuple[str, ...]:
        covered = {item.finding for item in self.directions}
        return tuple(ref for ref in FINDINGS if ref in covered)


@dataclass(frozen=True)
class DirectionCheck:
    """One direction against the statement of its rule (``statement`` is None when the rule said nothing)."""

    direction: Direction
    statement: Statement | None
    problems: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        said = self.statement.in_language("en") if self.statement is not None else "(no statement)"
        verdict = "agrees" if self.agrees else "; ".join(self.problems)
        return f"{self.direction.finding} {self.direction.rule}: {verdict}: {said}"


class DirectionsInvalid(ValueError):
    """A directions table with errors; ``problems`` lists each, naming its entry."""

    def __init__(self, problems: Sequence[str], path: str = ""):
        super().__init__(f"{len(problems)} problem(s) in the directions table {path}:\n" + "\n".join(problems))
        self.problems = tuple(problems)


def _share(value: object, where: str, name: str, problems: list[str]) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        problems.append(f"{where}: {name} must be a share from 0 to 1; got {value!r}")
        return None
    return Fraction(str(value))


def parse_directions(data: object, path: str = "", rules: RuleSet | None = None) -> DirectionTable:
    """Check the parsed YAML of a directions table (against a rule set when given: every rule has exactly one
    direction and every direction names a rule of the set with the same finding)."""
    problems: list[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("directions"), list):
        raise DirectionsInvalid(["a directions table is a mapping with 'framework', 'rules' and 'directions'"], path)
    if data.get("govlens_directions") != DIRECTIONS_FORMAT:
        problems.append(f"govlens_directions must be {DIRECTIONS_FORMAT}; got {data.get('govlens_directions')!r}")
    known = {"finding", "rule", "direction", "share", "above", "seed", "recommend"}
    entries: list[Direction] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["directions"], start=1):
        where = f"entry {index}" + (f" ({entry.get('rule')})" if isinstance(entry, Mapping) else "")
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: must be a mapping")
            continue
        unknown = sorted(set(entry) - known)
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}")
        finding, rule, word = str(entry.get("finding", "")), str(entry.get("rule", "")), entry.get("direction")
        seed = str(entry.get("seed") or "").strip()
        if finding not in FINDINGS:
            problems.append(f"{where}: finding {finding!r} is not one of F01..F43")
        if word not in DIRECTIONS:
            problems.append(f"{where}: direction must be one of {{{', '.join(DIRECTIONS)}}}; got {word!r}")
        if not seed:
            problems.append(f"{where}: seed (the words the direction is read from) is required")
        if rule in seen:
            problems.append(f"{where}: rule '{rule}' has a direction already")
        seen.add(rule)
        recommend = entry.get("recommend", True)
        if not isinstance(recommend, bool):
            problems.append(f"{where}: recommend must be true or false; got {recommend!r}")
        share = _share(entry.get("share"), where, "share", problems)
        above = _share(entry.get("above"), where, "above", problems)
        if rules is not None:
            try:
                if rules.rule(rule).finding != finding:
                    problems.append(f"{where}: rule '{rule}' speaks to {rules.rule(rule).finding}, not {finding}")
            except KeyError:
                problems.append(f"{where}: rule '{rule}' is not in the rules of {rules.framework_id}")
        if word in DIRECTIONS:
            entries.append(Direction(finding, rule, str(word), seed, share, above, recommend is not False))
    if rules is not None:
        missing = [rule.id for rule in rules.rules if rule.id not in seen]
        if missing:
            problems.append(f"rules without a direction: {', '.join(missing)}")
    if problems:
        raise DirectionsInvalid(problems, path)
    return DirectionTable(str(data.get("framework", "")), str(data.get("rules", "")), tuple(entries), path)


def load_directions(name_or_path: str | Path, rules: RuleSet | None = None) -> DirectionTable:
    """The bundled table of a framework id (``lac-dgr``) or a file, checked (see :func:`parse_directions`)."""
    bundled = DIRECTIONS_DIR / f"{name_or_path}.yaml"
    path = bundled if isinstance(name_or_path, str) and bundled.is_file() else Path(name_or_path)
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in DIRECTIONS_DIR.glob("*.yaml"))) or "none"
        raise FileNotFoundError(f"no directions table {str(name_or_path)!r}; bundled: {available}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as problem:
        raise DirectionsInvalid([f"not valid YAML: {problem}"], str(path)) from None
    return parse_directions(data, str(path), rules)


def check_directions(statements: Iterable[Statement], table: DirectionTable) -> list[DirectionCheck]:
    """Each direction of the table against the finding statement of its rule, in table order; a rule whose
    recommendation is given where the seed's point does not call for it (or missing where it does) fails too."""
    listed = list(statements)
    by_rule = {s.provenance.rule: s for s in listed if s.kind == "finding" and s.provenance.rule is not None}
    advised = {s.provenance.rule for s in listed if s.kind == "recommendation" and s.audience == "countries"}
    checks = []
    for direction in table.directions:
        statement = by_rule.get(direction.rule)
        problems = direction.problems(statement) if statement is not None else ["the rule made no statement"]
        if statement is not None and (direction.rule in advised) != direction.recommend:
            given = "is given" if direction.rule in advised else "is missing"
            calls = "calls" if direction.recommend else "does not call"
            problems.append(f"its recommendation {given}; the seed's point {calls} for it")
        checks.append(DirectionCheck(direction, statement, tuple(problems)))
    return checks


def finding_agreement(checks: Iterable[DirectionCheck]) -> dict[str, bool]:
    """Per finding (F01..F43 order), whether every statement on it follows the seed."""
    result: dict[str, bool] = {}
    listed = list(checks)
    for ref in FINDINGS:
        mine = [check for check in listed if check.direction.finding == ref]
        if mine:
            result[ref] = all(check.agrees for check in mine)
    return result
