"""The settings of a web (and ``govlens release create``) release come from the cycle's framework, then from the
cycle's override (stored with the cycle, changed by analysts in the admin or with ``govlens cycle settings``),
then from the run's options; the job and the release record them and where each key came from."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from govlens.cli import app
from govlens.release import load_release
from govlens.web.audit.models import AuditEvent
from govlens.web.cycles.models import Cycle
from govlens.web.cycles.services import cycle_create, cycle_settings_set
from govlens.web.errors import Invalid, NotAllowed
from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.services import release_job_run, release_request
from tests.release.conftest import tiny_framework as release_framework
from tests.web.conftest import FRAMEWORKS, World

from .conftest import APPROVED, CYCLE, fill

runner = CliRunner()
DECLARED = dataclasses.replace(
    release_framework(),
    version="2026.2",
    index_settings={"normalise": "rank", "aggregate": "geometric"},
    uncertainty_settings={"replications": 40, "seed": 11, "normalise": ["rank", "minmax"]},
)


@pytest.fixture
def declaring(world: World) -> World:
    """The cycle on a framework that declares its release settings, every country approved."""
    FRAMEWORKS["tiny-declaring"] = DECLARED
    cycle_create(actor=None, slug=CYCLE, framework="tiny-declaring", countries=list(APPROVED), title="Declared")
    for iso3 in APPROVED:
        fill(world, iso3)
    return world


def _client(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_the_web_release_uses_the_framework_settings_and_records_them(declaring: World, job_folders: Path) -> None:
    job = release_request(actor=declaring.users["analyst"], cycle=CYCLE, languages=["en"])
    assert (job.replications, job.seed) == (40, 11)
    assert job.settings["index"]["normalise"] == "rank"
    done = release_job_run(job_id=job.pk)
    assert done is not None
    release = load_release(done.release_id, job_folders / "releases")
    assert (release.settings.index.normalise, release.settings.index.aggregate) == ("rank", "geometric")
    assert release.settings.uncertainty is not None
    assert release.settings.uncertainty.normalise == ("rank", "minmax")
    assert (release.settings.uncertainty.replications, release.settings.uncertainty.seed) == (40, 11)
    source = release.inputs.metadata["settings_source"]
    assert source["framework"] == "tiny-dgr 2026.2" and "index.normalise" in source["from_framework"]
    assert source["from_cycle"] == [] and source["from_run"] == []
    # the method page of the report says where the settings came from
    report = next(name for name in done.files if name.startswith("report"))
    html = (job_folders / "outputs" / done.release_id / report).read_text(encoding="utf-8")
    assert "data-settings-source" in html and "the defaults of the framework tiny-dgr 2026.2" in html


def test_the_cycle_override_wins_and_the_run_options_win_for_one_release(declaring: World, job_folders: Path) -> None:
    analyst = declaring.users["analyst"]
    cycle = Cycle.objects.get(slug=CYCLE)
    stored = cycle_settings_set(
        actor=analyst, cycle=cycle, override={"index": {"normalise": "minmax"}, "uncertainty": {"replications": 30}}
    )
    assert stored.release_settings == {"index": {"normalise": "minmax"}, "uncertainty": {"replications": 30}}
    event = AuditEvent.objects.get(object_type="cycle", object_id=CYCLE, field="release_settings")
    assert event.actor == analyst and event.old == {}
    job = release_request(actor=analyst, cycle=CYCLE, languages=["en"], seed=3)
    assert (job.replications, job.seed) == (30, 3)
    assert job.settings["index"]["normalise"] == "minmax" and job.settings["index"]["aggregate"] == "geometric"
    assert job.settings_source["from_cycle"] == ["index.normalise", "uncertainty.replications"]
    assert job.settings_source["from_run"] == ["uncertainty.seed"]
    done = release_job_run(job_id=job.pk)
    assert done is not None
    release = load_release(done.release_id, job_folders / "releases")
    assert release.settings.index.normalise == "minmax"
    assert release.inputs.metadata["settings_source"]["from_cycle"] == ["index.normalise", "uncertainty.replications"]
    page = Client()
    page.force_login(analyst)
    shown = page.get(f"/jobs/releases/{done.release_id}/").content.decode()
    assert 'id="release-settings"' in shown
    assert "normalisation min-max over the countries and aggregation geometric mean" in shown
    assert "changed for the cycle: index.normalise, uncertainty.replications" in shown
    assert "changed for this release: uncertainty.seed" in shown
    # back to the framework's
    cycle_settings_set(actor=analyst, cycle=cycle, override={})
    assert release_request(actor=None, cycle=CYCLE, languages=["en"]).settings["index"]["normalise"] == "rank"


def test_a_bad_cycle_override_is_refused_naming_the_cycle_and_key(declaring: World) -> None:
    cycle = Cycle.objects.get(slug=CYCLE)
    with pytest.raises(Invalid) as caught:
        cycle_settings_set(actor=None, cycle=cycle, override={"index": {"normalise": "bogus"}})
    assert caught.value.message.startswith(f"cycle {CYCLE}: index.normalise: normalise must be one of")
    assert caught.value.problems[0]["code"] == "invalid_release_settings"
    with pytest.raises(Invalid, match=f"cycle {CYCLE}: uncertainty.speed: not a setting"):
        cycle_settings_set(actor=None, cycle=cycle, override={"uncertainty": {"speed": 2}})
    cycle.refresh_from_db()
    assert cycle.release_settings == {}
    assert not AuditEvent.objects.filter(field="release_settings").exists()


def test_only_analysts_and_administrators_change_the_release_settings(declaring: World) -> None:
    cycle = Cycle.objects.get(slug=CYCLE)
    for name in ("analyst", "admin"):
        cycle_settings_set(actor=declaring.users[name], cycle=cycle, override={"uncertainty": {"seed": 1}})
    for name in ("focal_arg", "reviewer_bra"):
        with pytest.raises(NotAllowed):
            cycle_settings_set(actor=declaring.users[name], cycle=cycle, override={"uncertainty": {"seed": 2}})
    cycle.refresh_from_db()
    assert cycle.release_settings == {"uncertainty": {"seed": 1}}


def test_a_framework_with_bad_settings_cannot_make_a_cycle(world: World) -> None:
    FRAMEWORKS["tiny-bad"] = dataclasses.replace(
        release_framework(), version="2026.3", index_settings={"aggregate": "median"}
    )
    with pytest.raises(Invalid) as caught:
        cycle_create(actor=None, slug="bad-2026", framework="tiny-bad", countries=["ARG", "BRA"])
    assert caught.value.message.startswith("tiny-bad: index.aggregate: aggregate must be one of {arithmetic")
    assert "got 'median'" in caught.value.message
    assert not Cycle.objects.filter(slug="bad-2026").exists()


def test_the_publish_page_shows_the_cycle_settings_and_its_values_are_no_override(declaring: World) -> None:
    client = _client(declaring, "analyst")
    page = client.get(f"/jobs/cycles/{CYCLE}/publish").content.decode()
    assert 'id="release-settings"' in page and "normalisation ranks, aggregation geometric mean" in page
    assert 'name="replications" min="1" max="100000" value="40"' in page and 'name="seed" min="0" value="11"' in page
    client.post(f"/jobs/cycles/{CYCLE}/publish", {"languages": ["en"], "replications": "40", "seed": "11"})
    client.post(f"/jobs/cycles/{CYCLE}/publish", {"languages": ["en"], "replications": "25", "seed": "11"})
    first, second = ReleaseJob.objects.order_by("pk")
    assert first.settings_source["from_run"] == [] and first.replications == 40
    assert second.settings_source["from_run"] == ["uncertainty.replications"] and second.replications == 25


def test_analysts_edit_the_release_settings_in_the_admin(declaring: World) -> None:
    cycle = Cycle.objects.get(slug=CYCLE)
    url = f"/admin/cycles/cycle/{cycle.pk}/change/"
    form = {"title": "Declared", "opens_on": "", "closes_on": ""}
    client = _client(declaring, "analyst")
    bad = client.post(url, {**form, "release_settings": '{"index": {"normalise": "bogus"}}'})
    assert bad.status_code == 200
    assert f"cycle {CYCLE}: index.normalise: normalise must be one of" in bad.content.decode()
    cycle.refresh_from_db()
    assert cycle.release_settings == {}
    good = client.post(url, {**form, "release_settings": '{"uncertainty": {"replications": 20}}'})
    assert good.status_code == 302, good.content[:600]
    cycle.refresh_from_db()
    assert cycle.release_settings == {"uncertainty": {"replications": 20}}
    event = AuditEvent.objects.get(object_type="cycle", field="release_settings")
    assert event.actor == declaring.users["analyst"] and event.new == {"uncertainty": {"replications": 20}}
    # other fields are edited without touching the settings (and without loading the framework)
    FRAMEWORKS.pop("tiny-declaring")
    from govlens.web.cycles.frameworks import framework_cache_clear

    framework_cache_clear()
    stored = '{"uncertainty": {"replications": 20}}'  # the page sends the stored value as its initial one too
    assert 'name="initial-release_settings"' in client.get(url).content.decode()
    retitled = client.post(
        url, {**form, "title": "Renamed", "release_settings": stored, "initial-release_settings": stored}
    )
    assert retitled.status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).title == "Renamed"
    denied = _client(declaring, "focal_arg").post(url, {**form, "release_settings": "{}"})
    assert denied.status_code in (302, 403)
    cycle.refresh_from_db()
    assert cycle.release_settings == {"uncertainty": {"replications": 20}}


def test_the_command_line_shows_changes_and_uses_the_settings(declaring: World, job_folders: Path) -> None:
    shown = runner.invoke(app, ["cycle", "settings", CYCLE])
    assert shown.exit_code == 0, shown.output
    assert "index.normalise = rank" in shown.output and "uncertainty.replications = 40" in shown.output
    changed = runner.invoke(app, ["cycle", "settings", CYCLE, "--set", "index.aggregate=arithmetic"])
    assert changed.exit_code == 0, changed.output
    assert "index.aggregate = arithmetic  (this cycle)" in changed.output
    refused = runner.invoke(app, ["cycle", "settings", CYCLE, "--set", "index.aggregate=median"])
    assert refused.exit_code == 1 and f"cycle {CYCLE}: index.aggregate: aggregate must be one of" in refused.output
    assert "Traceback" not in refused.output
    made = runner.invoke(app, ["release", "create", CYCLE, "--lang", "en", "--seed", "5"])
    assert made.exit_code == 0, made.output
    assert "settings: normalise rank, aggregate arithmetic, 40 replications, seed 5" in made.output
    assert "changed: index.aggregate, uncertainty.seed" in made.output
    release = load_release("rel-2026-r1", job_folders / "releases")
    assert release.settings.index.aggregate == "arithmetic" and release.settings.uncertainty is not None
    assert (release.settings.uncertainty.replications, release.settings.uncertainty.seed) == (40, 5)
    cleared = runner.invoke(app, ["cycle", "settings", CYCLE, "--unset", "index.aggregate"])
    assert cleared.exit_code == 0 and "index.aggregate = geometric\n" in cleared.output
    assert Cycle.objects.get(slug=CYCLE).release_settings == {}
