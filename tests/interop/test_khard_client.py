"""khard, a real vCard client, reads an exported vdir as the book has it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from nurture.interop import export_path, import_path
from nurture.model import Contact, Email, KeyDate, Phone
from nurture.store import Store

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "interop" / "real"
TODAY = pendulum.date(2026, 11, 22)


def khard(config: Path, *args: str) -> str:
    env = {**os.environ, "HOME": str(config.parent), "XDG_CONFIG_HOME": str(config.parent)}
    done = subprocess.run([sys.executable, "-m", "khard", "-c", str(config), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


@pytest.fixture(params=["3.0", "4.0"])
def exported(request, store: Store, tmp_path: Path) -> tuple[Path, Store]:
    store.save_contacts([
        Contact.new("Ana Maria Lima", emails=[Email("ana@example.com", "work")],
                    phones=[Phone("+351 912 345 678", "mobile")],
                    key_dates=[KeyDate("birthday", 3, 14, None)]),
        Contact.new("Ben Okafor", given_name="Ben", family_name="Okafor",
                    emails=[Email("ben@example.com")],
                    key_dates=[KeyDate("birthday", 11, 30, 1988)]),
    ])
    import_path(REAL / "ezvcard_John_Doe_EVOLUTION.vcf", store)
    vdir = tmp_path / "vdir"
    export_path(store, vdir, "vcard", today=TODAY, version=request.param)
    config = tmp_path / "khard.conf"
    config.write_text(f"[addressbooks]\n[[nurture]]\npath = {vdir}\n"
                      "[general]\neditor = /bin/true\nmerge_editor = /bin/true\n"
                      "[contact table]\ndisplay = formatted_name\n", encoding="utf-8")
    return config, store


def test_khard_lists_every_contact_with_its_uid(exported: tuple[Path, Store]) -> None:
    config, store = exported
    rows = {tuple(line.split("\t")) for line in khard(config, "list", "--parsable").splitlines()}
    assert rows == {(c.uid, c.display_name, "nurture") for c in store.contacts()}


def test_khard_reads_the_emails_and_numbers(exported: tuple[Path, Store]) -> None:
    config, store = exported
    # Rows are tab-separated; email also prints a "searching for" line first.
    emails = {tuple(line.split("\t")[:2])
              for line in khard(config, "email", "--parsable").splitlines() if "\t" in line}
    assert emails == {(e.address, c.display_name) for c in store.contacts() for e in c.emails}
    phones = {tuple(line.split("\t")[:2])
              for line in khard(config, "phone", "--parsable").splitlines() if "\t" in line}
    assert phones == {(p.number, c.display_name) for c in store.contacts() for p in c.phones}


def test_khard_shows_year_less_birthdays_without_a_made_up_year(
        exported: tuple[Path, Store]) -> None:
    config, _ = exported
    table = khard(config, "birthdays")
    assert "1604" not in table
    rows = {" ".join(line.split()[:-1]): line.split()[-1] for line in table.splitlines()[1:]}
    assert rows["Ana Maria Lima"] == "--03-14"
    assert rows["Ben Okafor"] == "11/30/88"
    assert rows["Mr. John Richter, James Doe Sr."] == "03/22/80"
    shown = khard(config, "show", "Ana Maria Lima")
    assert "Birthday: --03-14" in shown
    # The name parts khard shows come from the N we write for a contact without any.
    assert "Full name: Ana Maria Lima" in shown
