"""Registry curation: `archive entities merge / ignore / type` edit entities.yml as a minimal diff."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml

from builder import curation
from builder.app.cli import main
from builder.extract import registry

PROJECT = Path(__file__).resolve().parent.parent
REGISTRY = (PROJECT / "entities.yml").read_text("utf-8")


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) of a unified diff."""
    a, b = old.splitlines(), new.splitlines()
    removed, added = [], []
    # autojunk off: in a long registry "type: organisation" is frequent enough to be skipped as junk otherwise
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def entity(text: str, name: str):
    for entry in yaml.safe_load(text)["entities"]:
        if entry["name"] == name:
            return entry
    return None


@pytest.mark.unit
def test_an_unchanged_round_trip_is_byte_identical():
    assert curation._dump(curation._load(REGISTRY)) == REGISTRY


@pytest.mark.unit
def test_merge_into_an_entity_appends_one_alias_and_touches_one_line():
    new, message = curation.merge(REGISTRY, "Gantz", "benny gantz")  # the target is found in any case
    assert changed_lines(REGISTRY, new) == (["    aliases: [Benjamin Gantz]"], ["    aliases: [Benjamin Gantz, Gantz]"])
    assert "Gantz" in message and "Benny Gantz" in message


@pytest.mark.unit
def test_merge_into_an_alias_of_an_entity():
    new, _ = curation.merge(REGISTRY, "Hizb Allah", "Hizballah")
    assert "Hizb Allah" in entity(new, "Hezbollah")["aliases"]
    assert len(changed_lines(REGISTRY, new)[1]) == 1


@pytest.mark.unit
def test_merge_into_a_new_entity_adds_an_entry_and_keeps_the_blank_line_before_ignore():
    new, message = curation.merge(REGISTRY, "Abu Mohammad al-Julani", "Ahmed al-Sharaa", "person")
    removed, added = changed_lines(REGISTRY, new)
    assert removed == []
    assert added == ["  - name: Ahmed al-Sharaa", "    type: person", "    aliases: [Abu Mohammad al-Julani]"]
    assert "\n\nignore:\n" in new and new.startswith(REGISTRY.split("entities:")[0])  # the header comments stay
    assert "added entity" in message
    assert curation.merge(REGISTRY, "X Y", "Z W")[0].count("type: other") == REGISTRY.count("type: other") + 1


@pytest.mark.unit
def test_merging_an_entry_folds_its_aliases_and_removes_it():
    new, message = curation.merge(REGISTRY, "Israeli Air Force", "Israel Defense Forces")
    assert message.endswith("(its description dropped)")
    idf = entity(new, "Israel Defense Forces")
    assert {"Israeli Air Force", "IAF"} <= set(idf["aliases"])  # "Israeli air force" is the same alias (any case)
    assert entity(new, "Israeli Air Force") is None
    removed, added = changed_lines(REGISTRY, new)
    assert len(added) == 1 and "  - name: Israeli Air Force" in removed and len(removed) == 5


@pytest.mark.unit
def test_merging_an_entry_into_a_new_name_renames_it_keeping_its_fields():
    new, _ = curation.merge(REGISTRY, "Step News Agency", "Step News Network")
    step = entity(new, "Step News Network")
    assert step["description"] == "Syrian opposition news agency." and step["type"] == "organisation"
    assert "Step News Agency" in step["aliases"]
    assert len(changed_lines(REGISTRY, new)[1]) == 2


@pytest.mark.unit
@pytest.mark.parametrize("alias, target, why", [
    ("IDF", "Hezbollah", "already an alias of 'Israel Defense Forces'"),
    ("Hezbollah", "hezbollah", "into itself"),
    ("", "Hezbollah", "empty"),
])
def test_merge_refusals(alias, target, why):
    with pytest.raises(curation.CurationError, match=why):
        curation.merge(REGISTRY, alias, target)


@pytest.mark.unit
def test_merge_of_a_name_already_there_changes_nothing():
    new, message = curation.merge(REGISTRY, "idf", "Israel Defense Forces")
    assert new == REGISTRY and "nothing changed" in message


@pytest.mark.unit
def test_ignore_appends_once_and_creates_the_list():
    new, message = curation.ignore(REGISTRY, "Monday")
    assert changed_lines(REGISTRY, new) == ([], ["  - Monday"]) and "Monday" in message
    assert curation.ignore(new, "MONDAY")[0] == new
    bare = "entities:\n  - name: A\n    type: other\n"
    assert curation.ignore(bare, "Foo")[0] == bare + "ignore:\n  - Foo\n"
    assert curation.ignore("", "Foo")[0] == "ignore:\n  - Foo\n"


@pytest.mark.unit
def test_type_changes_one_line_or_adds_an_entry():
    new, message = curation.set_type(REGISTRY, "Qasem Suleimani", "other")  # found by an alias
    assert changed_lines(REGISTRY, new) == (["    type: person"], ["    type: other"])
    assert "'Qassem Soleimani'" in message and "was person" in message
    new, _ = curation.set_type(REGISTRY, "Israel Katz", "person")
    assert changed_lines(REGISTRY, new) == ([], ["  - name: Israel Katz", "    type: person"])
    assert curation.set_type(REGISTRY, "Hezbollah", "organisation")[0] == REGISTRY
    with pytest.raises(curation.CurationError, match="not one of"):
        curation.set_type(REGISTRY, "Hezbollah", "place")


@pytest.mark.unit
def test_type_is_inserted_after_the_name_when_missing():
    text = "# c\nentities:\n  - name: A  # keep\n    aliases: [B]\n"
    assert curation.set_type(text, "B", "facility")[0] == "# c\nentities:\n  - name: A  # keep\n    type: facility\n    aliases: [B]\n"


@pytest.mark.unit
def test_comments_and_flow_lists_survive_edits():
    text = ("# head\nentities:\n  - name: A   # canonical\n    type: organisation\n    aliases: [B, C]   # tail\n\n"
            "  - name: D\n    aliases: [E]\n\n# ignored ones\nignore:   # never\n  - Report\n")
    new, _ = curation.merge(text, "X", "W")  # not "Y": a YAML 1.1 boolean, written quoted (tests/test_data_integrity.py)
    assert new == text.replace("    aliases: [E]\n", "    aliases: [E]\n  - name: W\n    type: other\n    aliases: [X]\n")
    new, _ = curation.ignore(text, "Z")
    assert new == text + "  - Z\n"


# The command line, on a throw-away project --------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    shutil.copy(PROJECT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copy(PROJECT / "entities.yml", tmp_path / "entities.yml")
    (tmp_path / "articles").mkdir()
    (tmp_path / "docs").mkdir()
    return tmp_path


def run(project, *args):
    return main(["-f", str(project / "mkdocs.yml"), "entities", *args])


@pytest.mark.integration
def test_cli_merge_ignore_type(project, capsys):
    path = project / "entities.yml"
    assert run(project, "merge", "Gantz", "Benny Gantz") == 0
    assert "added 'Gantz' to the aliases of 'Benny Gantz'" in capsys.readouterr().out
    assert run(project, "ignore", "Monday") == 0
    assert "ignored 'Monday'" in capsys.readouterr().out
    assert run(project, "type", "Israel Katz", "person") == 0
    assert "added entity 'Israel Katz' (type person)" in capsys.readouterr().out
    assert run(project, "merge", "Abu Mohammad al-Julani", "Ahmed al-Sharaa", "--type", "person") == 0
    removed, added = changed_lines(REGISTRY, path.read_text("utf-8"))
    assert removed == ["    aliases: [Benjamin Gantz]"]
    assert added == ["    aliases: [Benjamin Gantz, Gantz]", "  - name: Israel Katz", "    type: person",
                     "  - name: Ahmed al-Sharaa", "    type: person", "    aliases: [Abu Mohammad al-Julani]", "  - Monday"]
    loaded = registry.load(path)
    assert "monday" in loaded.ignore
    assert {e.name: e.type for e in loaded.entities}["Ahmed al-Sharaa"] == "person"


@pytest.mark.integration
def test_cli_refusals_leave_the_file_alone(project, capsys):
    path = project / "entities.yml"
    assert run(project, "merge", "IDF", "Hezbollah") == 2
    assert "already an alias of 'Israel Defense Forces'" in capsys.readouterr().err
    assert run(project, "merge", "Hezbollah", "Hezbollah") == 2
    assert run(project, "type", "Hezbollah", "place") == 2  # argparse: not a choice
    assert run(project) == 2  # neither --candidates nor an edit
    assert path.read_text("utf-8") == REGISTRY


@pytest.mark.integration
def test_cli_restores_the_file_when_the_edit_breaks_the_registry(project, capsys):
    path = project / "entities.yml"
    broken = REGISTRY.replace("    type: organisation\n    aliases: [Hizbollah", "    type: organisation\n    aliases: [SOHR, Hizbollah", 1)
    path.write_text(broken, "utf-8")  # already invalid: an alias used twice; any edit is refused and undone
    assert run(project, "ignore", "Monday") == 2
    assert "left as it was" in capsys.readouterr().err
    assert path.read_text("utf-8") == broken


@pytest.mark.integration
def test_cli_uses_the_registry_option_of_mkdocs_yml(project, capsys):
    config = (project / "mkdocs.yml").read_text("utf-8")
    assert "registry:" not in config and "  - archive:\n" in config
    (project / "mkdocs.yml").write_text(config.replace("  - archive:\n", "  - archive:\n      registry: curated/names.yml\n", 1), "utf-8")
    (project / "curated").mkdir()
    assert run(project, "ignore", "Monday") == 0
    assert (project / "curated" / "names.yml").read_text("utf-8") == "ignore:\n  - Monday\n"
    assert (project / "entities.yml").read_text("utf-8") == REGISTRY


@pytest.mark.integration
def test_candidates_listing_still_works_and_follows_the_edits(tmp_path, capsys, monkeypatch):
    """`--candidates` is kept beside the verbs; an ignored or promoted name leaves the list on the next run.
    (Rules alone: with the model these two names are settled without the curator.)"""
    from conftest import make_project

    monkeypatch.setenv("ARCHIVE_MODEL", "none")

    root = make_project(tmp_path / "archive")
    assert main(["-f", str(root / "mkdocs.yml"), "entities", "--candidates"]) == 0
    before = capsys.readouterr().out
    assert "  Mabam  —" in before and "  Islamic Republic  —" in before
    assert run(root, "ignore", "Mabam") == 0
    assert run(root, "type", "Islamic Republic", "other") == 0
    capsys.readouterr()
    assert main(["-f", str(root / "mkdocs.yml"), "entities", "--candidates"]) == 0
    after = capsys.readouterr().out
    assert "Mabam" not in after and "  Islamic Republic  —" not in after
    assert main(["-f", str(root / "mkdocs.yml"), "entities", "--candidates", "ignore", "X"]) == 2


UNTIDY = """# a registry written by hand, in another style
entities:
- name:   A
  type: organisation
  aliases: [ B,C ]     # spaced
  description: >-
    folded
    text
- name: D
  aliases:
  - E
ignore:
- Report
"""


@pytest.mark.unit
@pytest.mark.parametrize("edit, removed, added", [
    (lambda t: curation.merge(t, "X", "D"), [], ["  - X"]),
    (lambda t: curation.merge(t, "X", "W"), [], ["- name: W", "  type: other", "  aliases: [X]"]),
    (lambda t: curation.ignore(t, "Z"), [], ["- Z"]),
    (lambda t: curation.set_type(t, "E", "person"), [], ["  type: person"]),
])
def test_a_file_in_another_style_keeps_its_style_and_untouched_lines(edit, removed, added):
    new, _ = edit(UNTIDY)
    assert changed_lines(UNTIDY, new) == (removed, added)
    assert "  aliases: [ B,C ]     # spaced\n" in new and new.startswith("# a registry written by hand")
