"""Editing a contact as TOML in $EDITOR: lossless round trip, field-named errors, nothing lost."""

from __future__ import annotations

import io
import stat
import sys
from pathlib import Path

import pytest

from nurture.cli import main
from nurture.demo import build_demo
from nurture.editing import apply_toml, contact_to_toml
from nurture.errors import ValidationError
from nurture.store import open_store


def test_every_demo_contact_round_trips_unchanged(tmp_path, today):
    with open_store(tmp_path / "d.json") as store:
        build_demo(store, today)
        contacts = store.contacts()
    for contact in contacts:
        assert apply_toml(contact, contact_to_toml(contact)) == contact


def test_edits_apply_and_year_less_dates_survive(tmp_path, today):
    with open_store(tmp_path / "d.json") as store:
        build_demo(store, today)
        contact = store.resolve("Dan Okafor")
    text = contact_to_toml(contact).replace('cadence = "1m"', 'cadence = "2w"')
    text = text.replace("dates = [\n", "dates = [\n    { label = \"Maya's graduation\", "
                        "date = \"2027-06-12\", yearly = false },\n")
    text = text.replace('interests = [', 'interests = [\n    "Sailing",')
    edited = apply_toml(contact, text)
    assert edited.cadence_days == 14
    assert "sailing" in edited.interests
    grad = edited.key_date("maya's graduation")
    assert (grad.year, grad.month, grad.day, grad.yearly) == (2027, 6, 12, False)


@pytest.mark.parametrize(("change", "field", "message"), [
    (('kind = "client"', 'kind = "pal"'), "kind", "'pal' is not one of"),
    (('cadence = "1m"', 'cadence = "soon"'), "cadence", "is not a cadence"),
    (('name = "Dan Okafor"', 'name = ""'), "name", "needs a name"),
    (('name = "Dan Okafor"', 'name = "Dan Okafor"\nshoe_size = "44"'), "shoe_size",
     "not a field"),
    (('name = "Dan Okafor"', 'name = "Dan'), "toml", "line 6"),
])
def test_bad_edits_name_the_field(tmp_path, today, change, field, message):
    with open_store(tmp_path / "d.json") as store:
        build_demo(store, today)
        contact = store.resolve("Dan Okafor")
    text = contact_to_toml(contact)
    assert change[0] in text
    with pytest.raises(ValidationError, match=message) as info:
        apply_toml(contact, text.replace(change[0], change[1]))
    assert info.value.field == field


def _fake_editor(tmp_path: Path, python_code: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "t = p.read_text()\n" + python_code + "\np.write_text(t)\n")
    return f"{sys.executable} {script}"


def test_cli_edit_saves_through_the_editor(capsys, tmp_path, monkeypatch, db_path):
    main(["add", "Dan Okafor", "--company", "Harbor"])
    monkeypatch.setenv("EDITOR", _fake_editor(
        tmp_path, "assert oct(p.stat().st_mode & 0o777) == '0o600'\n"
                  "t = t.replace('company = \"Harbor\"', 'company = \"Harbor Freight\"')"))
    assert main(["edit", "dan"]) == 0
    assert "Saved Dan Okafor." in capsys.readouterr().out
    with open_store(db_path) as store:
        assert store.resolve("dan").company == "Harbor Freight"


def test_cli_edit_keeps_a_bad_edit_and_changes_nothing(capsys, tmp_path, monkeypatch, db_path):
    main(["add", "Dan Okafor", "--birthday", "03-14"])
    monkeypatch.setenv("EDITOR", _fake_editor(tmp_path, "t = t.replace('03-14', '02-30')"))
    monkeypatch.setattr(sys, "stdin", None)
    with open(tmp_path / "in", "w+") as fake_stdin:
        monkeypatch.setattr(sys, "stdin", fake_stdin)
        assert main(["edit", "dan"]) == 1
    err = capsys.readouterr().err
    assert "day 30 does not exist in February" in err
    kept = Path(err.rsplit("kept in ", 1)[1].strip())
    assert "02-30" in kept.read_text()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    with open_store(db_path) as store:
        assert store.resolve("dan").birthday.day == 14
    kept.unlink()


def _editor_racing_another_process(tmp_path: Path, db_path: Path, mine: str,
                                   theirs: str) -> str:
    """An editor that, while the file is open, lets another process save the contact."""
    other = (f"from nurture.store import open_store\n"
             f"s = open_store({str(db_path)!r})\n"
             f"base = s.resolve('dan'); c = s.resolve('dan'); {theirs}\n"
             f"s.save_contact(c, base=base)\n")
    return _fake_editor(tmp_path, f"import subprocess\n"
                                  f"subprocess.run([sys.executable, '-c', {other!r}], check=True)\n"
                                  f"{mine}")


def test_cli_edit_merges_what_another_process_saved_meanwhile(capsys, tmp_path, monkeypatch,
                                                              db_path):
    main(["add", "Dan Okafor", "--company", "Harbor"])
    monkeypatch.setenv("EDITOR", _editor_racing_another_process(
        tmp_path, db_path, "t = t.replace('\"Harbor\"', '\"Harbor Freight\"')",
        "c.notes = 'met at the fair'"))
    assert main(["edit", "dan"]) == 0
    with open_store(db_path) as store:
        dan = store.resolve("dan")
    assert (dan.company, dan.notes) == ("Harbor Freight", "met at the fair")


def test_cli_edit_of_a_field_another_process_changed_is_refused_and_kept(capsys, tmp_path,
                                                                         monkeypatch, db_path):
    main(["add", "Dan Okafor", "--company", "Harbor"])
    monkeypatch.setenv("EDITOR", _editor_racing_another_process(
        tmp_path, db_path, "t = t.replace('\"Harbor\"', '\"Mine\"')", "c.company = 'Theirs'"))
    with open(tmp_path / "in", "w+") as fake_stdin:  # not a terminal: nothing to ask
        monkeypatch.setattr(sys, "stdin", fake_stdin)
        assert main(["edit", "dan"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nurture: company was changed elsewhere while you were editing Dan "
                          "Okafor (another window or command saved first); nothing was saved; "
                          "your edit is kept in ")
    kept = Path(err.rsplit("kept in ", 1)[1].strip())
    assert 'company = "Mine"' in kept.read_text()
    kept.unlink()
    with open_store(db_path) as store:
        assert store.resolve("dan").company == "Theirs"


def test_cli_edit_on_a_terminal_asks_and_keeps_yours_for_the_field(capsys, tmp_path,
                                                                   monkeypatch, db_path):
    main(["add", "Dan Okafor", "--company", "Harbor"])
    monkeypatch.setenv("EDITOR", _editor_racing_another_process(
        tmp_path, db_path, "t = t.replace('\"Harbor\"', '\"Mine\"')",
        "c.company = 'Theirs'; c.notes = 'theirs too'"))
    asked = []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "y")
    assert main(["edit", "dan"]) == 0
    assert asked == ["Company was changed elsewhere while you were editing Dan Okafor (another "
                     "window or command saved first); nothing was saved. Keep yours for "
                     "company? [y/N] "]
    with open_store(db_path) as store:
        dan = store.resolve("dan")
    assert (dan.company, dan.notes) == ("Mine", "theirs too")
