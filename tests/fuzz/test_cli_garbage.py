"""The CLI on garbage input: exit code 1, a message, no traceback, and no output file left behind.

Click's test runner turns an unhandled exception into exit code 1 too, so each check also asserts that the
command ended through ``typer.Exit`` (``result.exception`` is None or a SystemExit), which is what a user
sees as a message rather than a traceback.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from govlens.cli import app
from tests.fuzz.strategies import damaged
from tests.fuzz.test_data_loaders import BASE_MIRROR, HTML_PAGE, _mirror, damaged_mirrors

runner = CliRunner()

TREE = b"id,parent,weight,direction,label\nIDX,,1,1,Index\nP1,IDX,1,1,P1\na,P1,1,1,A\nb,P1,1,-1,B\n"
DATA = b"unit,a,b\nARG,1,10\nBRA,2,20\nCHL,3,5\n"


@contextmanager
def _folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _assert_refused(code: int, output: str) -> None:
    assert code == 1, output
    assert output.strip(), "exit code 1 without a message"


# -- govlens framework validate ----------------------------------------------------------------------------
@settings(max_examples=25)
@given(st.sampled_from(["fw.yaml", "fw.yml", "fw.xlsx", "fw.xls"]), st.binary(max_size=512))
def test_framework_validate_on_random_bytes(name: str, data: bytes) -> None:
    with _folder() as folder:
        path = folder / name
        path.write_bytes(data)
        code, output = _run("framework", "validate", str(path))
    if code == 0:
        return  # bytes that happen to be a valid framework cannot come from 512 random bytes, but allow it
    _assert_refused(code, output)
    assert str(path) in output  # the problem names the file


@pytest.mark.parametrize(
    "argument",
    ["no-such-framework", "missing.yaml", "../../etc/passwd", "", "lac-dgr.xlsx", "x" * 250],
    ids=["unknown-name", "missing-file", "traversal", "empty", "missing-workbook", "long-name"],
)
def test_framework_validate_on_names_that_are_not_frameworks(argument: str) -> None:
    _assert_refused(*_run("framework", "validate", argument))


def test_framework_validate_on_an_impossible_date() -> None:
    with _folder() as folder:
        path = folder / "fw.yaml"
        path.write_text("govlens_framework: 1\nid: x\nversion: 2020-13-45\n", encoding="utf-8")
        _assert_refused(*_run("framework", "validate", str(path)))


def test_framework_validate_on_a_name_too_long_for_a_path() -> None:
    _assert_refused(*_run("framework", "validate", "x" * 5000))


# -- govlens index compute ---------------------------------------------------------------------------------
def _compute(folder: Path, tree: bytes, tree_name: str, data: bytes, data_name: str) -> tuple[int, str, Path]:
    (folder / tree_name).write_bytes(tree)
    (folder / data_name).write_bytes(data)
    out = folder / "results.csv"
    code, output = _run(
        "index", "compute", "--framework", str(folder / tree_name), "--data", str(folder / data_name),
        "--out", str(out),
    )  # fmt: skip
    return code, output, out


def test_index_compute_on_good_input_works() -> None:
    # the garbage below is refused for being garbage, not because the command is broken
    with _folder() as folder:
        code, output, out = _compute(folder, TREE, "tree.csv", DATA, "data.csv")
        assert code == 0, output
        assert out.is_file()


@settings(max_examples=25)
@given(damaged(DATA) | st.binary(max_size=256))
def test_index_compute_on_damaged_data(data: bytes) -> None:
    with _folder() as folder:
        code, output, out = _compute(folder, TREE, "tree.csv", data, "data.csv")
        if code != 0:
            _assert_refused(code, output)
            assert not out.exists(), "a failed run left an output file"
            assert list(folder.glob(".results.csv.*")) == [], "a failed run left a temporary file"


@settings(max_examples=25)
@given(damaged(TREE) | st.binary(max_size=256))
def test_index_compute_on_damaged_tree(tree: bytes) -> None:
    with _folder() as folder:
        code, output, out = _compute(folder, tree, "tree.csv", DATA, "data.csv")
        if code != 0:
            _assert_refused(code, output)
            assert not out.exists()


@pytest.mark.parametrize(
    ("tree", "tree_name", "data", "data_name"),
    [
        (TREE, "tree.csv", b"", "data.csv"),
        (TREE, "tree.csv", HTML_PAGE, "data.csv"),
        (TREE, "tree.csv", b"unit,a\nARG,1\n", "data.csv"),
        (b"", "tree.csv", DATA, "data.csv"),
        (b"id,parent\nA,B\nB,A\n", "tree.csv", DATA, "data.csv"),
        (b"\x00garbage", "tree.yaml", DATA, "data.csv"),
        (TREE, "tree.csv", b"\x00" * 100, "data.txt"),
    ],
    ids=["empty-data", "html-data", "tree-mismatch", "empty-tree", "cyclic-tree", "garbage-framework", "nul-data"],
)
def test_index_compute_on_garbage_is_refused(tree: bytes, tree_name: str, data: bytes, data_name: str) -> None:
    with _folder() as folder:
        code, output, out = _compute(folder, tree, tree_name, data, data_name)
        _assert_refused(code, output)
        assert not out.exists()


@pytest.mark.parametrize(
    ("data", "data_name"),
    [(DATA, "data.xlsx"), (HTML_PAGE, "data.xlsx"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "data.xls")],
    ids=["csv-named-xlsx", "html-named-xlsx", "ole-junk-xls"],
)
def test_index_compute_on_a_spreadsheet_that_is_not_one(data: bytes, data_name: str) -> None:
    with _folder() as folder:
        code, output, out = _compute(folder, TREE, "tree.csv", data, data_name)
        _assert_refused(code, output)
        assert not out.exists()


_ALL_NA = "Encountered all NA values"


@pytest.mark.parametrize(
    "data", [b"unit,a,b\nARG,1,2\nBRA,1,2\n", b"unit,a,b\nARG,1,2\n"], ids=["constant-indicators", "one-unit"]
)
def test_index_compute_without_any_score_leaves_no_broken_output(data: bytes) -> None:
    with _folder() as folder:
        code, output, out = _compute(folder, TREE, "tree.csv", data, "data.csv")
        assert _ALL_NA not in output
        assert code == 0 or not out.exists()


# -- govlens data show -------------------------------------------------------------------------------------
@settings(max_examples=25)
@given(damaged_mirrors())
def test_data_show_on_a_damaged_mirror(case: tuple[str, dict[str, bytes | None]]) -> None:
    name, changes = case
    with _mirror(name, changes) as mirror:
        code, output = _run("data", "show", name, "--mirror", str(mirror), "--limit", "3")
    if code != 0:
        _assert_refused(code, output)
        assert "error:" in output


@pytest.mark.parametrize("name", ["internet", "dgi", "ourdata", "egdi"])
def test_data_show_on_an_html_error_page_is_refused(name: str) -> None:
    from govlens.data import registry

    required = [source.name for source in registry.DATASETS[name].files if not source.optional]
    with _mirror(name, dict.fromkeys(required, HTML_PAGE)) as mirror:
        code, output = _run("data", "show", name, "--mirror", str(mirror))
    _assert_refused(code, output)
    assert "HTML page" in output


@pytest.mark.parametrize("name", ["nope", "gtmi-scores-1800", "", "../egdi"])
def test_data_show_on_unknown_names_is_refused(name: str) -> None:
    with _folder() as folder:
        _assert_refused(*_run("data", "show", name, "--mirror", str(folder)))


def test_data_show_on_an_over_long_csv_field() -> None:
    with _mirror("internet", {"share-of-individuals-using-the-internet.csv": b"a" * 200_000 + b"\n"}) as mirror:
        _assert_refused(*_run("data", "show", "internet", "--mirror", str(mirror)))


# -- govlens data show --groups FILE -----------------------------------------------------------------------
def _show_with_groups(name: str, data: bytes) -> tuple[int, str, Path]:
    with _folder() as folder:
        path = folder / name
        path.write_bytes(data)
        code, output = _run(
            "data", "show", "internet", "--mirror", str(BASE_MIRROR), "--groups", str(path), "--region", "peers",
        )  # fmt: skip
    return code, output, path


@settings(max_examples=25)
@given(
    st.sampled_from(["groups.yaml", "groups.csv"]),
    st.binary(max_size=256) | damaged(b"peers: [URY, ARG, CHL]\n") | damaged(b"group,iso3\npeers,URY\npeers,CHL\n"),
)
def test_data_show_with_a_damaged_peer_groups_file(name: str, data: bytes) -> None:
    code, output, _ = _show_with_groups(name, data)
    if code != 0:
        _assert_refused(code, output)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("groups.csv", b"group,iso3\n" + b"a" * 200_000 + b"\n"),
        ("groups.yaml", b"peers: " + b"[" * 3000 + b"]" * 3000 + b"\n"),
    ],
    ids=["csv-field-over-limit", "deep-yaml"],
)
def test_peer_groups_file_that_crashes(name: str, data: bytes) -> None:
    _assert_refused(*_show_with_groups(name, data)[:2])


@pytest.mark.parametrize(
    ("name", "data"),
    [("groups.yaml", b"\xff\xfe peers: [URY]\n"), ("groups.yaml", b"peers: 2020-13-45\n")],
    ids=["not-utf8", "impossible-date"],
)
def test_peer_groups_error_does_not_name_the_file(name: str, data: bytes) -> None:
    code, output, path = _show_with_groups(name, data)
    _assert_refused(code, output)
    assert path.name in output


def test_framework_validate_on_a_tilde_name() -> None:
    _assert_refused(*_run("framework", "validate", "~nosuchuser"))
