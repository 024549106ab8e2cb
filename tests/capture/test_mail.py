"""Capturing mail: exactly what is logged from real Maildir and mbox files, and only once."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nurture.capture.apply import Logged, log_plan
from nurture.capture.run import Plan, Sources, plan_capture
from nurture.model import InteractionKind
from nurture.store import Store, open_store

from .mailboxes import (
    MAILDIR_MESSAGES,
    ME,
    contacts,
    make_maildir,
    make_mbox,
    message,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ZONE = ZoneInfo("UTC")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "book" / "nurture.json", backups_keep=0)
    s.save_contacts(contacts())
    yield s
    s.close()


def plan(store: Store, sources: Sources, *, now: datetime = NOW, since: datetime | None = None,
         marks: dict | None = None) -> Plan:
    return plan_capture(sources, store.contacts(), Logged(store),
                        store.capture_marks() if marks is None else marks,
                        now=now, zone=ZONE, since=since)


def table(entries) -> set[tuple]:
    """Each entry as (kind, contacts, ISO time, text, source, ids) for exact comparison."""
    return {(e.kind.value, tuple(e.contact_ids), e.at.isoformat(), e.text, e.source,
             tuple(i if not i.startswith("sha1-") else "sha1" for i in e.source_ids))
            for e in entries}


EXPECTED = {
    ("email", ("c-ana",), "2026-11-19T09:00:00+00:00", "Lunch on Friday?", "mail",
     ("a1@mail.example.org", "a2@mail.example.org", "a3@mail.example.org")),
    ("email", ("c-ana",), "2026-11-20T08:00:00+01:00", "Re: Lunch on Friday?", "mail",
     ("a4@mail.example.org",)),
    ("email", ("c-ben", "c-chloe"), "2026-11-18T16:30:00-05:00", "Project kickoff", "mail",
     ("b1@mail.example.org",)),
    ("email", ("c-chloe",), "2026-11-17T18:00:00+01:00", "Café demain ?", "mail", ("sha1",)),
    ("email", ("c-ben",), "2026-11-16T08:00:00+00:00", "", "mail", ("m1@example.net",)),
}


def test_maildir_logs_one_touch_per_thread_and_day_and_no_lists(store, tmp_path):
    make_maildir(tmp_path / "INBOX", MAILDIR_MESSAGES)
    result = plan(store, Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME]))
    assert table(result.new) == EXPECTED
    assert result.extended == [] and result.problems == []
    counts = result.counts
    assert (counts.messages, counts.bulk, counts.strangers, counts.already) == (11, 3, 1, 0)
    assert {e.kind for e in result.new} == {InteractionKind.EMAIL}
    # Ids come from the messages: a dry run names entries as the real run will.
    again = plan(store, Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME]))
    assert sorted(e.id for e in again.new) == sorted(e.id for e in result.new)
    assert len({e.id for e in result.new}) == 5


def test_a_second_run_logs_nothing_and_reads_nothing(store, tmp_path):
    make_maildir(tmp_path / "INBOX", MAILDIR_MESSAGES)
    sources = Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME])
    assert log_plan(store, plan(store, sources)) == 5
    again = plan(store, sources)
    assert again.entries == [] and again.marks == [] and again.drop == []
    assert again.counts.messages == 0
    assert len(store.interactions()) == 5


def test_read_state_survives_reopening_the_book(store, tmp_path):
    make_maildir(tmp_path / "INBOX", MAILDIR_MESSAGES)
    sources = Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME])
    log_plan(store, plan(store, sources))
    path = store.path
    store.close()
    with open_store(path, backups_keep=0) as reopened:
        again = plan(reopened, sources)
        assert again.counts.messages == 0 and again.entries == []


def test_a_flag_change_renames_the_file_but_it_is_not_read_again(store, tmp_path):
    inbox = tmp_path / "INBOX"
    make_maildir(inbox, MAILDIR_MESSAGES)
    sources = Sources(maildirs=[str(inbox)], me=[ME])
    log_plan(store, plan(store, sources))
    for name in os.listdir(inbox / "new"):  # the mail client reads them: new/ -> cur/ with :2,S
        os.rename(inbox / "new" / name, inbox / "cur" / f"{name}:2,S")
    again = plan(store, sources)
    assert again.counts.messages == 0 and again.entries == []


def test_a_new_reply_the_same_day_joins_the_entry_already_logged(store, tmp_path):
    inbox = tmp_path / "INBOX"
    make_maildir(inbox, MAILDIR_MESSAGES)
    sources = Sources(maildirs=[str(inbox)], me=[ME])
    log_plan(store, plan(store, sources))
    make_maildir(inbox, [message(ME, "Ana <ana@example.org>", "Re: Lunch on Friday?",
                                 "Thu, 19 Nov 2026 16:00:00 +0000", "<a5@mail.example.org>",
                                 references="<a1@mail.example.org> <a3@mail.example.org>")])
    again = plan(store, sources)
    assert again.new == [] and again.counts.messages == 1
    [joined] = again.extended
    assert joined.source_ids == ["a1@mail.example.org", "a2@mail.example.org",
                                 "a3@mail.example.org", "a5@mail.example.org"]
    log_plan(store, again)
    on_19th = [e for e in store.interactions("c-ana") if e.at.date().isoformat() == "2026-11-19"]
    assert len(on_19th) == 1 and on_19th[0].id == joined.id


def test_rescanning_everything_logs_nothing_twice(store, tmp_path):
    make_maildir(tmp_path / "INBOX", MAILDIR_MESSAGES)
    sources = Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME])
    log_plan(store, plan(store, sources))
    again = plan(store, sources, marks={})
    assert again.entries == []
    assert again.counts.messages == 11 and again.counts.already == 7


def test_the_same_message_in_two_folders_is_one_touch(store, tmp_path):
    sent = message(ME, "ben@example.net", "Notes", "Sat, 21 Nov 2026 09:00:00 +0000",
                   "<dup@mail.example.org>")
    make_maildir(tmp_path / "INBOX", [sent])
    make_maildir(tmp_path / "Sent", [sent])
    result = plan(store, Sources(maildirs=[str(tmp_path / "INBOX"), str(tmp_path / "Sent")],
                                 me=[ME]))
    assert [e.source_ids for e in result.new] == [["dup@mail.example.org"]]


def test_since_leaves_older_mail_for_a_later_run(store, tmp_path):
    make_maildir(tmp_path / "INBOX", MAILDIR_MESSAGES)
    sources = Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME])
    first = plan(store, sources, since=datetime(2026, 11, 19, tzinfo=UTC))
    assert {e.text for e in first.new} == {"Lunch on Friday?", "Re: Lunch on Friday?"}
    assert first.counts.before_since == 3
    log_plan(store, first)
    rest = plan(store, sources)
    assert {e.text for e in rest.new} == {"Project kickoff", "Café demain ?", ""}
    assert rest.counts.messages == 3


def test_mbox_is_read_from_where_the_last_run_stopped(store, tmp_path):
    box = tmp_path / "mail.mbox"
    make_mbox(box, MAILDIR_MESSAGES)
    sources = Sources(mboxes=[str(box)], me=[ME])
    first = plan(store, sources)
    assert table(first.new) == EXPECTED
    log_plan(store, first)
    make_mbox(box, [message("Ben <ben@example.net>", ME, "Saturday", "Sat, 21 Nov 2026 "
                            "10:00:00 +0000", "<b2@example.net>")])
    second = plan(store, sources)
    assert second.counts.messages == 1
    assert table(second.new) == {("email", ("c-ben",), "2026-11-21T10:00:00+00:00", "Saturday",
                                  "mail", ("b2@example.net",))}
    log_plan(store, second)
    assert plan(store, sources).counts.messages == 0


def test_a_rewritten_mbox_is_read_again_and_logs_nothing_twice(store, tmp_path):
    box = tmp_path / "mail.mbox"
    make_mbox(box, MAILDIR_MESSAGES)
    sources = Sources(mboxes=[str(box)], me=[ME])
    log_plan(store, plan(store, sources))
    box.unlink()
    make_mbox(box, MAILDIR_MESSAGES[1:])  # the first message was deleted (expunged)
    again = plan(store, sources)
    assert again.counts.messages == 10 and again.entries == []


def test_bad_input_is_named_by_path_and_the_rest_is_captured(store, tmp_path):
    inbox = tmp_path / "INBOX"
    make_maildir(inbox, MAILDIR_MESSAGES)
    (inbox / "cur" / "1700000000.M1P1.host:2,S").mkdir()  # a message that cannot be read
    (tmp_path / "folder.mbox").mkdir()
    gone = tmp_path / "gone"
    result = plan(store, Sources(maildirs=[str(inbox), str(gone)],
                                 mboxes=[str(tmp_path / "folder.mbox")], me=[ME]))
    assert table(result.new) == EXPECTED
    assert sorted(str(p) for p in result.problems) == sorted([
        f"{inbox}/cur/1700000000.M1P1.host:2,S: cannot be read (Is a directory); it was skipped",
        f"{gone}: is gone; it was skipped",
        f"{tmp_path}/folder.mbox: is a folder, not an mbox file; it was skipped",
    ])
    log_plan(store, result)
    shutil.rmtree(inbox / "cur" / "1700000000.M1P1.host:2,S")
    make_maildir(inbox, [])  # the unreadable one is gone; nothing else is read again
    assert plan(store, Sources(maildirs=[str(inbox)], me=[ME])).counts.messages == 0


def test_people_you_mail_and_do_not_track_are_suggested(store, tmp_path):
    dana = [message("Dana <DANA@stranger.example>", ME, f"Hello {n}",
                    f"Thu, {10 + n} Nov 2026 14:00:00 +0000", f"<d{n}@stranger.example>")
            for n in range(3)]
    eve = [message(ME, "eve@other.example", f"Hi {n}", f"Thu, {10 + n} Nov 2026 14:00:00 +0000",
                   f"<e{n}@stranger.example>") for n in range(2)]
    old = [message("Fay <fay@old.example>", ME, "Long ago", f"Mon, {n + 1} Jun 2026 "
                   "09:00:00 +0000", f"<f{n}@old.example>") for n in range(3)]
    lists = [message("list@lists.example.org", ME, "digest", f"Thu, {10 + n} Nov 2026 "
                     "14:00:00 +0000", f"<l{n}@x>", headers={"List-Id": "<x>"}) for n in range(3)]
    ben = [message("ben@example.net", ME, "Hi", f"Thu, {10 + n} Nov 2026 14:00:00 +0000",
                   f"<ben{n}@x>") for n in range(3)]
    make_maildir(tmp_path / "INBOX", [*dana, *eve, *old, *lists, *ben])
    result = plan(store, Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME]))
    assert [(p.address, p.name, p.messages, p.last.isoformat()) for p in result.people] == [
        ("dana@stranger.example", "Dana", 3, "2026-11-12")]
    log_plan(store, result)
    # Remembered between runs: one more message from Eve makes three.
    make_maildir(tmp_path / "INBOX", [message("Eve <eve@other.example>", ME, "Re: Hi",
                                              "Fri, 20 Nov 2026 10:00:00 +0000", "<e9@x>")])
    again = plan(store, Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME]))
    assert [(p.address, p.messages) for p in again.people] == [
        ("dana@stranger.example", 3), ("eve@other.example", 3)]


def test_many_messages_are_read_in_worker_processes_with_the_same_result(store, tmp_path,
                                                                         monkeypatch):
    import nurture.capture.mail as mail

    make_maildir(tmp_path / "INBOX", MAILDIR_MESSAGES)
    (tmp_path / "INBOX" / "cur" / "1700000000.M1P1.host:2,S").mkdir()
    sources = Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME])
    monkeypatch.setattr(mail, "PARALLEL_FROM", 2)
    monkeypatch.setattr(mail, "CHUNK", 4)  # three chunks over two processes
    monkeypatch.setattr(mail.os, "cpu_count", lambda: 2)
    from concurrent.futures import ProcessPoolExecutor

    chunks: list[int] = []
    real_map = ProcessPoolExecutor.map

    def counting_map(self, fn, *iterables, **kwargs):
        [work] = iterables
        chunks.extend(len(c) for c in work)
        return real_map(self, fn, work, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "map", counting_map)
    result = plan(store, sources)
    assert chunks == [4, 4, 4]  # every message (and the unreadable one) read by the workers
    assert table(result.new) == EXPECTED
    assert [p.where for p in result.problems] == [
        f"{tmp_path}/INBOX/cur/1700000000.M1P1.host:2,S"]


def test_captured_mail_resets_the_cadence_like_any_touch(tmp_path):
    import pendulum

    from nurture.model import Interaction
    from nurture.rules import RulesConfig, suggest

    with open_store(tmp_path / "book.json", backups_keep=0) as book:
        people = contacts()
        people[0].cadence_days = 14
        book.save_contacts(people)
        book.save_interaction(Interaction.new(["c-ana"], "call", "catch-up",
                                              at=pendulum.datetime(2026, 10, 1, 12, tz="UTC")))

        def cadence_keys() -> list[str]:
            found = suggest(book.contacts(), book.interactions_by_contact(), [], {},
                            RulesConfig(), pendulum.date(2026, 11, 22))
            return [s.key for s in found if s.rule == "cadence"]

        assert cadence_keys() == ["cadence:c-ana:2026-10-15"]
        make_maildir(tmp_path / "INBOX", MAILDIR_MESSAGES)
        log_plan(book, plan(book, Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME])))
        assert cadence_keys() == []


def test_the_entries_and_the_read_state_are_saved_together_or_not_at_all(store, tmp_path,
                                                                          monkeypatch):
    make_maildir(tmp_path / "INBOX", MAILDIR_MESSAGES)
    sources = Sources(maildirs=[str(tmp_path / "INBOX")], me=[ME])
    result = plan(store, sources)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "save_capture_marks", full_disk)
    with pytest.raises(OSError):
        log_plan(store, result)
    monkeypatch.undo()
    path = store.path
    store.close()
    with open_store(path, backups_keep=0) as reopened:
        assert reopened.interactions() == [] and reopened.capture_marks() == {}
        assert len(plan(reopened, sources).new) == 5
