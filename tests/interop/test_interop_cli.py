"""nurture import … / nurture export …: exit codes, messages, files."""

from __future__ import annotations

import stat
from pathlib import Path

import icalendar
import orjson
import pytest

from nurture.cli import main


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    return ["--db", str(tmp_path / "data" / "nurture.json")]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_vcard_then_dry_run_again(capsys, db, fixtures: Path) -> None:
    code, out, err = run(capsys, *db, "import", "vcard", str(fixtures / "apple_contacts.vcf"),
                         str(fixtures / "google_contacts.vcf"))
    assert code == 0 and err == ""
    assert out.strip() == ("5 records: added 4; merged 0; unchanged 0; skipped 1 "
                           "(1 a contact group, not a person).")
    code, out, _ = run(capsys, *db, "import", "vcard", "--dry-run",
                       str(fixtures / "google_contacts.vcf"))
    assert code == 0
    assert "= Priya Raman  (matched by email priya.raman@example.org; already up to date;" in out
    assert out.strip().endswith("Dry run: 2 records: would add 0; would merge 0; unchanged 2; "
                                "skipped 0.")
    code, out, _ = run(capsys, *db, "list")
    assert "Priya Raman" in out and "Golf friends" not in out


def test_bad_cards_exit_1_after_importing_the_good_ones(capsys, db, fixtures: Path) -> None:
    code, out, err = run(capsys, *db, "import", "vcard", str(fixtures / "malformed.vcf"))
    assert code == 1
    assert "malformed.vcf: card 3 (line 16): truncated" in err
    assert "malformed.vcf: card 2 (line 10) [BDAY]: '1985-13-45' is not a date" in err
    assert err.strip().endswith("nurture: 3 records could not be read (listed above); "
                                "every other record was imported")
    assert out.strip() == "7 records: added 4; merged 0; unchanged 0; skipped 3 (3 unreadable)."
    _, listing, _ = run(capsys, *db, "list")
    assert all(name in listing for name in ("Good One", "Bad Values", "Odd Line", "Good Two"))


def test_linkedin_rows_without_a_name_do_not_fail_the_import(capsys, db, tmp_path: Path,
                                                            fixtures: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text('\ufeff"Notes:"\r\n"About missing emails."\r\n\r\n'
                    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
                    "Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines,Engineer,"
                    "01 Jan 2024\r\n,,https://www.linkedin.com/in/nobody,,,,\r\n",
                    encoding="utf-8")
    code, out, err = run(capsys, *db, "import", "csv", str(path), "-v")
    assert (code, err) == (0, "")
    assert out.strip().endswith("2 records: added 1; merged 0; unchanged 0; skipped 1 "
                                "(1 no name).")
    assert "- https://www.linkedin.com/in/nobody  (" in out


def test_control_characters_never_reach_the_terminal_or_the_export(capsys, db,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "evil.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\x1b]52;c;Y3VybA==\x07 Smith\x00\r\n"
                     b"END:VCARD\r\n")
    code, out, err = run(capsys, *db, "import", "vcard", str(path), "-v")
    assert code == 0
    assert not any(ch in out + err for ch in "\x00\x07\x1b")
    assert "[FN]: 3 control characters (NUL, ESC, …) removed" in err
    code, out, _ = run(capsys, *db, "export", "vcard", "-")
    assert "FN:Eve]52\\;c\\;Y3VybA== Smith\r\n" in out and "\x00" not in out


def test_import_csv_with_format_and_map(capsys, db, fixtures: Path) -> None:
    code, out, _ = run(capsys, *db, "import", "csv", str(fixtures / "custom_semicolon.csv"),
                       "--map", "Firma=company", "--map", "Handy=phone:mobile")
    assert code == 0 and "added 2" in out
    code, out, err = run(capsys, *db, "import", "csv", str(fixtures / "custom_semicolon.csv"),
                         "--map", "Firma=shoe")
    assert code == 1 and "unknown field 'shoe'" in err and "Traceback" not in err
    code, _, err = run(capsys, *db, "import", "csv", str(fixtures / "linkedin_connections.csv"),
                       "--format", "google")
    assert code == 1
    assert err.startswith("nurture: ") and "looks like an export from linkedin" in err


def test_import_errors_are_one_line(capsys, db, tmp_path: Path) -> None:
    code, _, err = run(capsys, *db, "import", "vcard", str(tmp_path / "missing.vcf"))
    assert code == 1 and err.strip() == f"nurture: {tmp_path / 'missing.vcf'}: no such file " \
                                        "or folder"
    bad = tmp_path / "ansi.csv"
    bad.write_bytes("Name\nZoë\n".encode("cp1252"))
    code, _, err = run(capsys, *db, "import", "csv", str(bad))
    assert code == 1 and f"{bad}:2: byte 0xeb is not valid utf-8" in err
    code, out, _ = run(capsys, *db, "import", "csv", str(bad), "--encoding", "cp1252")
    assert code == 0 and "added 1" in out


def test_usage_errors_exit_2(capsys, db) -> None:
    with pytest.raises(SystemExit) as info:
        main([*db, "import", "csv"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main([*db, "export", "vcard", "x.vcf", "--version", "2.1"])
    assert info.value.code == 2
    capsys.readouterr()


def test_exports(capsys, db, fixtures: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    run(capsys, *db, "import", "vcard", str(fixtures / "apple_contacts.vcf"))
    code, out, _ = run(capsys, *db, "export", "vcard", str(tmp_path / "out"), "--version", "4.0")
    assert code == 0 and out.strip() == f"Exported 2 vCard 4.0 records to 2 files in " \
                                        f"{tmp_path / 'out'}."
    assert (tmp_path / "out" / "5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE.vcf").exists()
    code, out, _ = run(capsys, *db, "export", "ics", str(tmp_path / "dates.ics"))
    assert code == 0 and "(4 key dates, 0 follow-ups, 0 suggestions.)" in out
    cal = icalendar.Calendar.from_ical((tmp_path / "dates.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == 4
    assert stat.S_IMODE((tmp_path / "dates.ics").stat().st_mode) == 0o600
    code, out, err = run(capsys, *db, "export", "markdown", "hiroshi")
    assert code == 0 and out.startswith("# Hiroshi Nakamura\n") and err == ""
    assert "- Birthday: 29 February 1976 — next Mon 28 Feb 2028" not in out
    assert "- Birthday: 29 February 1976 — next Sun 28 Feb 2027, in 98 days; turns 51" in out
    code, out, err = run(capsys, *db, "export", "json")
    assert code == 0 and orjson.loads(out)["nurture_export"] == 1
    assert "to standard output" in err
    code, _, err = run(capsys, *db, "export", "markdown", "nobody")
    assert code == 1 and err.strip() == "nurture: no contact matches 'nobody'"


def test_export_ics_with_suggestions(capsys, db, fixtures: Path, tmp_path: Path,
                                     monkeypatch) -> None:
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    run(capsys, *db, "import", "vcard", str(fixtures / "apple_contacts.vcf"))
    code, out, _ = run(capsys, *db, "export", "ics", "-", "--suggestions", "--days", "120")
    assert code == 0
    cal = icalendar.Calendar.from_ical(out.encode())
    suggestions = [e for e in cal.walk("VEVENT") if "Suggestion" in e["CATEGORIES"].cats]
    # Ana's birthday (year unknown, 14 March) is within 120 days: the rules remind of it.
    assert any("Ana" in str(e["SUMMARY"]) for e in suggestions)



def test_export_ics_says_when_rules_toml_has_problems(capsys, db, fixtures: Path,
                                                      tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    rules = tmp_path / "config" / "rules.toml"
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_text("[builtin.dormant]\nafter = \"soon\"\n")
    run(capsys, *db, "import", "vcard", str(fixtures / "apple_contacts.vcf"))
    target = tmp_path / "dates.ics"
    code, out, _ = run(capsys, *db, "export", "ics", str(target), "--suggestions")
    assert code == 0 and f"{rules} has 1 problem; the rest of it was used" in out
    code, out, _ = run(capsys, *db, "export", "ics", str(target))
    assert code == 0 and "problem" not in out  # without --suggestions the rules are not read


def test_json_round_trip_through_the_cli(capsys, tmp_path: Path, fixtures: Path) -> None:
    first = ["--db", str(tmp_path / "one.json")]
    second = ["--db", str(tmp_path / "two.json")]
    run(capsys, *first, "import", "csv", str(fixtures / "google_contacts.csv"))
    run(capsys, *first, "log", "Priya", "Lunch", "--kind", "meeting")
    backup = tmp_path / "backup.json"
    assert run(capsys, *first, "export", "json", str(backup))[0] == 0
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    code, out, _ = run(capsys, *second, "import", "json", str(backup))
    assert code == 0 and out.strip() == ("3 contacts: added 3; merged 0; unchanged 0; skipped 0; "
                                         "timeline entries 1.")
    _, a, _ = run(capsys, *first, "export", "json")
    _, b, _ = run(capsys, *second, "export", "json")
    assert orjson.loads(a) == orjson.loads(b)


class _Terminal:
    """A stderr that says it is a terminal."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_bar_only_in_a_terminal_and_only_for_large_imports() -> None:
    from nurture.cli.interop import _Bar

    terminal = _Terminal()
    bar = _Bar(terminal)
    bar(10, 150)  # small: no bar
    assert bar.progress is None
    for done in range(0, 501, 50):
        bar(done, 500)
    assert bar.progress is not None
    bar.close()
    assert "".join(terminal.written)
    piped = _Bar(None)
    piped(250, 500)
    assert piped.progress is None


def test_a_large_import_in_a_pipe_is_quiet(capsys, db, tmp_path: Path) -> None:
    rows = "".join(f"Person {n},p{n}@example.com\n" for n in range(400))
    path = tmp_path / "many.csv"
    path.write_text("Name,Email\n" + rows)
    code, out, err = run(capsys, *db, "import", "csv", str(path))
    assert code == 0 and err == "" and out.strip() == ("400 records: added 400; merged 0; "
                                                       "unchanged 0; skipped 0.")
