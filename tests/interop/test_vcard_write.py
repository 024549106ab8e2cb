"""What the vCard writer puts on the page, per version, and where the files go."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import vobject

from nurture.errors import InputFileError
from nurture.interop.vcard_out import (
    contact_to_vcard,
    stable_uid,
    vdir_filename,
    write_vcards,
)
from nurture.model import Address, Contact, Email, FamilyMember, KeyDate, Phone


def ana(**fields) -> Contact:
    base = dict(id="c-ana00001", display_name="Ana Lima", given_name="Ana", family_name="Lima",
                emails=[Email("ana@example.com", "work")],
                phones=[Phone("+351 912 345 678", "mobile")],
                key_dates=[KeyDate("birthday", 3, 14, None),
                           KeyDate("anniversary", 6, 12, 2010)],
                family=[FamilyMember("João Lima", "spouse"), FamilyMember("Tia Rosa", "aunt")],
                notes="Likes jazz, wine; and\nlong walks.", uid="ana-uid")
    base.update(fields)
    return Contact(**base)


def lines(text: str) -> list[str]:
    """Unfolded lines of a serialized card."""
    return text.replace("\r\n ", "").split("\r\n")


def test_version_3_uses_apple_conventions_for_what_it_lacks() -> None:
    text = contact_to_vcard(ana(), "3.0")
    out = lines(text)
    assert out[:4] == ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Nurture//Nurture 0.1.0//EN",
                       "UID:ana-uid"]
    # Year-less: the form Google writes and khard reads (khard shows Apple's as 1604).
    assert "BDAY:--0314" in out
    assert "X-ANNIVERSARY:2010-06-12" in out
    assert "EMAIL;TYPE=INTERNET,WORK:ana@example.com" in out
    assert "TEL;TYPE=CELL:+351 912 345 678" in out
    assert "NOTE:Likes jazz\\, wine\\; and\\nlong walks." in out
    spouse = out.index("item2.X-ABRELATEDNAMES:João Lima")
    assert out[spouse + 1] == "item2.X-ABLABEL:_$!<Spouse>!$_"
    aunt = out.index("item3.X-ABRELATEDNAMES:Tia Rosa")
    assert out[aunt + 1] == "item3.X-ABLABEL:aunt"
    # vobject itself reads the card and finds the fields where apps look.
    card = vobject.readOne(text)
    assert card.fn.value == "Ana Lima"
    assert card.n.value.family == "Lima"


def test_version_4_uses_rfc_6350_forms() -> None:
    out = lines(contact_to_vcard(ana(), "4.0"))
    assert out[1] == "VERSION:4.0"
    assert "BDAY:--0314" in out
    assert "ANNIVERSARY:20100612" in out
    assert "EMAIL;TYPE=work:ana@example.com" in out
    assert "RELATED;TYPE=spouse;VALUE=text:João Lima" in out
    assert not any(line.startswith("X-ANNIVERSARY") for line in out)


def test_lines_fold_at_75_octets_without_splitting_characters() -> None:
    text = contact_to_vcard(ana(notes="Ünïcødé " * 40), "3.0")
    for raw in text.split("\r\n"):
        assert len(raw.encode("utf-8")) <= 75
    note = next(line for line in lines(text) if line.startswith("NOTE:"))
    assert note == "NOTE:" + ("Ünïcødé " * 40).rstrip() + " "  # nothing lost at the folds


def test_urls_are_not_text_escaped() -> None:
    out = lines(contact_to_vcard(ana(urls=["https://example.com/a,b;c"]), "4.0"))
    assert "URL:https://example.com/a,b;c" in out


def test_labels_that_are_not_types_go_to_x_ablabel() -> None:
    person = ana(phones=[Phone("+1 555 0100", "Dad's office"), Phone("+1 555 0101", "home fax")],
                 addresses=[Address("work", "1 Main St", "Austin")])
    out = lines(contact_to_vcard(person, "3.0"))
    office = out.index("item1.TEL:+1 555 0100")
    assert out[office + 1] == "item1.X-ABLABEL:Dad's office"
    assert "TEL;TYPE=HOME,FAX:+1 555 0101" in out
    assert "ADR;TYPE=WORK:;;1 Main St;Austin;;;" in out


def test_one_off_dates_and_leap_days() -> None:
    person = ana(key_dates=[KeyDate("birthday", 2, 29, 1988),
                            KeyDate("graduation", 6, 30, 2026, yearly=False)])
    out = lines(contact_to_vcard(person, "4.0"))
    assert "BDAY:19880229" in out
    assert any(line.startswith("item") and "X-ABDATE;X-NURTURE-ONCE=TRUE:2026-06-30" in line
               for line in out)


def test_kept_lines_come_back_and_groups_do_not_collide() -> None:
    person = ana(extra={"vcard": ["item1.X-SOCIALPROFILE;TYPE=twitter:https://x.example/ana",
                                  "item1.X-ABLABEL:Twitter", "GENDER:F"]},
                 urls=["https://x.example/ana", "https://ana.example"],
                 phones=[Phone("+1 555 0100", "Dad's office")])
    out = lines(contact_to_vcard(person, "3.0"))
    assert "GENDER:F" in out
    assert "item1.X-SOCIALPROFILE;TYPE=twitter:https://x.example/ana" in out
    # The profile's URL is written once, by its own line.
    assert "URL:https://x.example/ana" not in out and "URL:https://ana.example" in out
    assert "item2.TEL:+1 555 0100" in out  # item1 belongs to the kept profile


def test_a_removed_profile_url_drops_its_kept_line() -> None:
    person = ana(extra={"vcard": ["X-SOCIALPROFILE;TYPE=twitter:https://x.example/ana"]},
                 urls=[])
    assert "X-SOCIALPROFILE" not in contact_to_vcard(person, "3.0")


def test_stable_uid_is_derived_from_the_id() -> None:
    person = ana(uid="")
    assert stable_uid(person) == stable_uid(ana(uid=""))
    assert stable_uid(person) != stable_uid(ana(uid="", id="c-other001"))
    assert f"UID:{stable_uid(person)}" in contact_to_vcard(person)


def test_vdir_files_are_private_and_named_by_uid(tmp_path: Path) -> None:
    target = tmp_path / "contacts"
    people = [ana(), ana(id="c-ben00001", display_name="Ben", uid="urn:uuid:a/b")]
    (tmp_path / "contacts").mkdir()
    (target / "stranger.vcf").write_text("BEGIN:VCARD\r\nEND:VCARD\r\n")
    report = write_vcards(people, target, "3.0")
    names = sorted(p.name for p in target.glob("*.vcf"))
    assert names == sorted(["ana-uid.vcf", vdir_filename("urn:uuid:a/b"), "stranger.vcf"])
    assert vdir_filename("urn:uuid:a/b").endswith(".vcf") and "/" not in vdir_filename("a/b")
    for name in ("ana-uid.vcf", vdir_filename("urn:uuid:a/b")):
        assert stat.S_IMODE((target / name).stat().st_mode) == 0o600
    assert report.files == 2 and "1 other .vcf files" in report.summary()


def test_single_file_is_private(tmp_path: Path) -> None:
    target = tmp_path / "all.vcf"
    write_vcards([ana()], target, "4.0")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").count("BEGIN:VCARD") == 1
    new_dir = tmp_path / "fresh"
    write_vcards([ana()], new_dir)
    assert stat.S_IMODE(new_dir.stat().st_mode) == 0o700


def test_a_full_disk_is_a_message_naming_the_file_and_leaves_no_litter(tmp_path: Path,
                                                                      monkeypatch) -> None:
    target = tmp_path / "all.vcf"
    target.write_text("old cards")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(InputFileError, match="No space left") as info:
        write_vcards([ana()], target)
    assert info.value.path == target
    assert target.read_text() == "old cards"
    assert [p.name for p in tmp_path.iterdir()] == ["all.vcf"]


def test_an_export_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "contacts"
    target.write_text("not a folder")
    with pytest.raises(InputFileError, match="not a folder"):
        write_vcards([ana()], target, vdir=True)
    assert target.read_text() == "not a folder"


def test_bent_extra_from_an_edited_json_import_does_not_break_the_card() -> None:
    person = ana(extra={"vcard": ["no colon here", "GENDER:F", 5],
                        "vcard_parts": {"n": "Dr.", "org_units": ["Sales", 3]}},
                 company="Acme")
    out = lines(contact_to_vcard(person, "3.0"))
    assert "GENDER:F" in out and "ORG:Acme;Sales" in out and "N:Lima;Ana;;;" in out
    assert not any("no colon" in line for line in out)
