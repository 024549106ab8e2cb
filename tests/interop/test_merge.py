"""Matching incoming records to contacts, and merging them without losing anything."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture import documents
from nurture.errors import ValidationError
from nurture.interop import import_path, plan_import
from nurture.interop.report import ImportReport, Incoming
from nurture.model import (
    Address,
    Contact,
    Email,
    FamilyMember,
    Interaction,
    InteractionKind,
    KeyDate,
    Phone,
    RelationshipKind,
)

from .conftest import essence

AT = pendulum.datetime(2026, 11, 22, 9, tz="UTC")


def person(cid: str, name: str, **fields) -> Contact:
    return Contact(id=cid, display_name=name, **fields)


def test_match_order_uid_then_email_then_name_and_never_a_phone() -> None:
    existing = [
        person("c-uid", "Someone Else", uid="U-1"),
        person("c-mail", "Ana Lima", emails=[Email("ana@example.com")]),
        person("c-phone", "Ben Okafor", phones=[Phone("+44 20 7946 0018")]),
        person("c-name", "Chloé Dubois"),
    ]
    incoming = [
        person("", "Renamed", uid="U-1", title="new"),
        person("", "A. Lima", emails=[Email("Ana@Example.com")], title="new"),
        person("", "B. Okafor", phones=[Phone("+44 (20) 7946-0018")], title="new"),
        person("", "chloe  DUBOIS", title="new"),
    ]
    plan = plan_import(incoming, existing, at=AT)
    assert [(m.contact.id, m.matched_by.split()[0]) for m in plan.merged] == [
        ("c-uid", "uid"), ("c-mail", "email"), ("c-name", "name")]
    # A shared number (a family landline, a switchboard) is no evidence.
    assert [a.contact.display_name for a in plan.added] == ["B. Okafor"]
    assert plan.skipped == []


def test_a_shared_phone_company_or_address_never_merges_two_people() -> None:
    home = Address("home", "1 Main St", "Springfield")
    incoming = [
        Incoming(person("", "Homer Simpson", uid="U-h", emails=[Email("homer@example.com")],
                        phones=[Phone("+1 555 0100", "home")], company="Plant",
                        addresses=[home]), "book.vcf", "card 1"),
        Incoming(person("", "Marge Simpson", uid="U-m", emails=[Email("marge@example.com")],
                        phones=[Phone("+1 555 0100", "home")], company="Plant",
                        addresses=[home]), "book.vcf", "card 2"),
    ]
    plan = plan_import(incoming, [], at=AT)
    assert [a.contact.display_name for a in plan.added] == ["Homer Simpson", "Marge Simpson"]
    assert plan.folded == [] and plan.merged == []
    # And across files: the stored Homer does not absorb Marge either.
    again = plan_import(incoming[1:], [plan.added[0].contact], at=AT)
    assert [a.contact.display_name for a in again.added] == ["Marge Simpson"]


def test_an_email_shared_by_cards_with_different_uids_does_not_merge() -> None:
    mine = person("c-1", "Ana Lima", uid="U-phone", emails=[Email("family@example.com")])
    theirs = person("", "Rui Lima", uid="U-google", emails=[Email("family@example.com")])
    plan = plan_import([theirs], [mine], at=AT)
    [added] = plan.added
    assert added.contact.display_name == "Rui Lima" and plan.merged == []
    assert added.notes == ["shares family@example.com with Ana Lima, but their UIDs differ"]


def test_the_same_name_with_different_uids_is_two_people_in_one_file() -> None:
    incoming = [Incoming(person("", "John Smith", uid="U-1"), "f.vcf", "card 1"),
                Incoming(person("", "John Smith", uid="U-2"), "f.vcf", "card 2")]
    plan = plan_import(incoming, [], at=AT)
    assert [a.contact.uid for a in plan.added] == ["U-1", "U-2"]
    assert plan.added[1].notes == ["same name as John Smith, but their UIDs differ"]


def test_merge_fills_blanks_joins_lists_and_keeps_the_users_values() -> None:
    mine = person("c-1", "Ana Lima", company="Acme", emails=[Email("ana@example.com", "")],
                  interests=["golf"], key_dates=[KeyDate("birthday", 3, 14, None)],
                  notes="Allergic to nuts.", kind=RelationshipKind.OTHER, uid="")
    theirs = person("", "Ana Lima", company="Globex", title="CTO",
                    emails=[Email("ana@example.com", "work"), Email("ana@globex.example", "work")],
                    phones=[Phone("+351 912 345 678", "mobile")],
                    addresses=[Address("home", "Rua Augusta 12", "Lisboa")],
                    interests=["golf", "jazz"],
                    key_dates=[KeyDate("birthday", 3, 14, 1985), KeyDate("anniversary", 6, 12)],
                    family=[FamilyMember("João", "spouse")], notes="Likes jazz.",
                    kind=RelationshipKind.CLIENT, uid="U-ana", cadence_days=30,
                    extra={"vcard": ["GENDER:F"]})
    [merge] = plan_import([theirs], [mine], at=AT).merged
    ana = merge.contact
    assert ana.company == "Acme" and ana.title == "CTO"
    assert any("company 'Acme' (file: 'Globex')" in c for c in merge.conflicts)
    assert [(e.address, e.label) for e in ana.emails] == [("ana@example.com", "work"),
                                                         ("ana@globex.example", "work")]
    assert ana.phones[0].number == "+351 912 345 678"
    assert ana.addresses[0].city == "Lisboa"
    assert ana.interests == ["golf", "jazz"]
    assert ana.key_dates == [KeyDate("birthday", 3, 14, 1985), KeyDate("anniversary", 6, 12)]
    assert ana.family[0].name == "João"
    assert ana.notes == "Allergic to nuts.\n\nLikes jazz."
    assert (ana.kind, ana.uid, ana.cadence_days) == (RelationshipKind.CLIENT, "U-ana", 30)
    assert ana.extra == {"vcard": ["GENDER:F"]}
    assert ana.updated == AT
    # The original object is not touched: the plan is pure.
    assert mine.company == "Acme" and mine.title == "" and len(mine.emails) == 1


def test_a_phone_in_another_format_is_the_same_phone_and_may_bring_a_label() -> None:
    mine = person("c-1", "Ben Okafor", phones=[Phone("+44 20 7946 0018", ""),
                                             Phone("020 7946 0999", "home")])
    theirs = person("", "Ben Okafor", phones=[Phone("+44 (20) 7946-0018", "mobile"),
                                              Phone("020-7946-0999", "work"),
                                              Phone("+44 7700 900123", "work")])
    [merge] = plan_import([theirs], [mine], at=AT).merged
    assert [(p.number, p.label) for p in merge.contact.phones] == [
        ("+44 20 7946 0018", "mobile"), ("020 7946 0999", "home"), ("+44 7700 900123", "work")]
    assert merge.changes == ["label 'mobile' for +44 (20) 7946-0018", "phone +44 7700 900123"]


def test_a_uid_is_taken_on_by_a_contact_that_had_none() -> None:
    mine = person("c-1", "Ana Lima", emails=[Email("ana@example.com")])
    theirs = person("", "Ana Lima", uid="U-google", emails=[Email("ana@example.com")])
    [merge] = plan_import([theirs], [mine], at=AT).merged
    assert merge.contact.uid == "U-google" and merge.changes == ["UID"]
    again = plan_import([person("", "Ana L.", uid="U-google")], [merge.contact], at=AT)
    assert again.added == [] and again.merged == []
    assert again.unchanged[0].contact.id == "c-1"
    assert again.unchanged[0].matched_by == "uid"


def test_conflicting_birthdays_are_reported_not_overwritten() -> None:
    mine = person("c-1", "Ana", key_dates=[KeyDate("birthday", 3, 14, 1985)])
    theirs = person("", "Ana", key_dates=[KeyDate("birthday", 4, 1, 1985)])
    plan = plan_import([theirs], [mine], at=AT)
    assert plan.merged == []
    [same] = plan.unchanged
    assert same.contact.key_dates == [KeyDate("birthday", 3, 14, 1985)]
    # Not "already up to date": both sides are shown, and the rule that decided.
    assert same.conflicts == ["birthday 1985-03-14 (file: 1985-04-01)"]
    report = ImportReport(["f.vcf"], "vcard", plan)
    assert report.details() == ["= Ana  (matched by name; nothing new)",
                                "    kept yours: birthday 1985-03-14 (file: 1985-04-01)"]
    assert report.summary() == ("1 record: added 0; merged 0; unchanged 1 (1 with values "
                                "that differ, kept as stored); skipped 0.")


def test_same_name_different_people_are_not_merged() -> None:
    existing = [person("c-1", "John Smith", emails=[Email("john@acme.example")])]
    incoming = [person("", "John Smith", emails=[Email("jsmith@globex.example")]),
                person("", "John Smith", uid="U-2")]
    plan = plan_import(incoming, existing, at=AT)
    # The first carries another email: a different John. The second has nothing
    # that disagrees, and there are two Johns by then: ambiguous.
    assert len(plan.added) == 1
    assert plan.skipped[0].reason.startswith("ambiguous: matches several contacts by name")


def test_the_same_person_twice_in_one_file_becomes_one_contact() -> None:
    incoming = [Incoming(person("", "Ana Lima", emails=[Email("ana@example.com")]), "f", "line 2"),
                Incoming(person("", "Ana Lima", emails=[Email("ana@example.com")],
                                phones=[Phone("+1 555 0100")], company="Acme"), "f", "line 3"),
                Incoming(person("", "Ana Lima", emails=[Email("ana@example.com")],
                                company="Globex"), "f", "line 4")]
    plan = plan_import(incoming, [], at=AT)
    [added] = plan.added
    # Listed and counted: nothing vanishes into another record unsaid.
    report = ImportReport(["f"], "csv", plan)
    assert report.summary() == ("3 records: added 1; merged 2 (into 1 contact); unchanged 0; "
                                "skipped 0.")
    assert report.details() == [
        "+ Ana Lima  (f: line 2)",
        "~ Ana Lima  (f: line 3): the same person as Ana Lima (f: line 2), matched by email "
        "ana@example.com: company 'Acme'; phone +1 555 0100",
        "~ Ana Lima  (f: line 4): the same person as Ana Lima (f: line 2), matched by email "
        "ana@example.com: no new details",
        "    kept the first: company 'Acme' (file: 'Globex')"]
    assert [p.number for p in added.contact.phones] == ["+1 555 0100"]
    assert added.contact.id.startswith("c-") and added.contact.created == AT
    assert len(added.contact.uid) == 36  # given one, kept from now on


def test_reimporting_a_file_without_uids_changes_nothing(store, fixtures: Path) -> None:
    import_path(fixtures / "google_contacts.vcf", store, at=AT)
    uids = {c.id: c.uid for c in store.contacts()}
    report = import_path(fixtures / "google_contacts.vcf", store, at=AT)
    assert len(report.plan.unchanged) == 2 and report.plan.merged == []
    assert {c.id: c.uid for c in store.contacts()} == uids and all(uids.values())


def test_an_invalid_record_is_skipped_with_its_reason() -> None:
    bad = person("", "Ana", emails=[Email("not-an-email")])
    plan = plan_import([Incoming(bad, "people.csv", "line 4")], [], at=AT)
    assert plan.added == []
    assert plan.skipped[0].place == "people.csv: line 4"
    assert plan.skipped[0].reason.startswith("invalid: email")
    with pytest.raises(ValidationError):
        bad.validate()


def test_import_leaves_the_timeline_alone(store, fixtures: Path) -> None:
    ana = Contact.new("Ana Maria Lima", emails=[Email("ana@example.com")])
    store.save_contact(ana)
    entry = Interaction.new([ana.id], InteractionKind.CALL, "Catch-up",
                            at=pendulum.datetime(2026, 11, 1, 10, tz="UTC"))
    store.save_interaction(entry)
    report = import_path(fixtures / "apple_contacts.vcf", store, at=AT)
    [merge] = report.plan.merged
    assert merge.contact.id == ana.id and merge.matched_by == "email ana@example.com"
    assert [i.id for i in store.interactions(ana.id)] == [entry.id]
    assert store.contact(ana.id).company == "Acme Corp"


def test_dry_run_saves_nothing(store, fixtures: Path) -> None:
    report = import_path(fixtures / "google_contacts.vcf", store, dry_run=True, at=AT)
    assert len(report.plan.added) == 2 and report.dry_run
    assert store.contacts() == []
    assert report.summary().startswith("Dry run: 2 records: would add 2")


def test_a_failed_save_changes_nothing(store, fixtures: Path, monkeypatch) -> None:
    import_path(fixtures / "google_contacts.vcf", store, at=AT)
    before = {c.id: essence(c) for c in store.contacts()}
    real = documents.contact_to_doc
    calls = {"n": 0}

    def fail_on_second(contact):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real(contact)

    monkeypatch.setattr(documents, "contact_to_doc", fail_on_second)
    with pytest.raises(OSError, match="disk full"):
        # Priya and Ben are merged (the CSV knows more about them), Vandelay added.
        import_path(fixtures / "google_contacts.csv", store, at=AT)
    monkeypatch.undo()
    assert calls["n"] == 2
    assert {c.id: essence(c) for c in store.contacts()} == before


@pytest.mark.parametrize("name", ["apple_contacts.vcf", "outlook_21.vcf", "vdir",
                                  "google_contacts.csv", "google_contacts_legacy.csv",
                                  "outlook_contacts.csv", "linkedin_connections.csv"])
def test_importing_the_same_file_twice_changes_nothing_the_second_time(store, fixtures: Path,
                                                                       name: str) -> None:
    first = import_path(fixtures / name, store, at=AT)
    before = {c.id: essence(c) for c in store.contacts()}
    again = import_path(fixtures / name, store, at=AT)
    assert (again.plan.added, again.plan.merged) == ([], [])
    assert len(again.plan.unchanged) == len(first.plan.added)
    assert {c.id: essence(c) for c in store.contacts()} == before


def test_format_is_recognised_from_name_or_content(tmp_path: Path, fixtures: Path) -> None:
    from nurture.interop import detect_format

    assert detect_format(fixtures / "vdir") == "vcard"
    assert detect_format(fixtures / "outlook_contacts.csv") == "csv"
    card = tmp_path / "contact.txt"
    card.write_bytes(b"\xef\xbb\xbf\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n")
    data = tmp_path / "backup"
    data.write_text('{"nurture_export": 1, "tables": {}}')
    sheet = tmp_path / "export.txt"
    sheet.write_text("Name,Email\nAna,ana@example.com\n")
    assert [detect_format(p) for p in (card, data, sheet)] == ["vcard", "json", "csv"]


# Few values, so that records often share a phone, a company, a name or an email.
_RECORD = st.tuples(st.sampled_from(["", "U-1", "U-2", "U-3"]),
                    st.sampled_from(["", "a@example.com", "b@example.com"]),
                    st.sampled_from(["Ana Lima", "Ben Okafor"]),
                    st.sampled_from(["", "+1 555 0100"]),
                    st.sampled_from(["", "Acme"]))


@settings(max_examples=300, deadline=None)
@given(records=st.lists(_RECORD, max_size=8))
def test_no_input_merges_two_uids_and_the_counts_add_up(records) -> None:
    incoming = [Incoming(person("", name, uid=uid, company=company,
                                emails=[Email(email)] if email else [],
                                phones=[Phone(phone)] if phone else []), "f", f"r{n}")
                for n, (uid, email, name, phone, company) in enumerate(records)]
    plan = plan_import(incoming, [], at=AT)
    report = ImportReport(["f"], "csv", plan)
    assert report.records == len(records)
    groups: dict[str, set[int]] = {}
    for item in plan.added:
        groups[item.place()] = {int(item.where[1:])}
    for fold in plan.folded:
        groups[fold.into_place].add(int(fold.place.split(": r")[1]))
    for members in groups.values():
        uids = {records[n][0] for n in members} - {""}
        assert len(uids) <= 1, (members, records)
        # Held together by UIDs, emails or names (a chain of them), never by a
        # phone or a company alone: the members are connected by those keys.
        reached, todo = set(), [min(members)]
        while todo:
            n = todo.pop()
            reached.add(n)
            todo += [m for m in members - reached if any(
                records[n][k] and records[n][k] == records[m][k] for k in (0, 1, 2))]
        assert reached == members, (members, records)
