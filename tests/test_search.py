"""Search: every word, accents and case ignored, newest first, with a snippet; and the CLI."""

from __future__ import annotations

import json

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.cli import main
from nurture.model import Contact, FollowUp, Interaction, InteractionKind, fold
from nurture.search import SearchIndex, contact_fields, entry_fields, make_snippet

AT = pendulum.datetime(2026, 11, 1, 12, tz="UTC")


def person(cid: str, name: str, **fields) -> Contact:
    contact = Contact(id=cid, display_name=name, created=AT.subtract(years=1), **fields)
    contact.updated = contact.created
    return contact


def entry(eid: str, who: list[str], text: str, days_ago: int, **fields) -> Interaction:
    return Interaction(id=eid, contact_ids=who, kind=InteractionKind.CALL,
                       at=AT.subtract(days=days_ago), text=text, **fields)


def small_book() -> tuple[list[Contact], list[Interaction]]:
    people = [person("c-zoe", "Zoë Ångström", company="Fjord", notes="Loves the Régate"),
              person("c-dan", "Dan Okafor", interests=["sailing"])]
    entries = [
        entry("i-old", ["c-dan"], "Talked about the regatta in June", 30),
        entry("i-new", ["c-dan", "c-zoe"], "Lunch; Zoë is crewing in the REGATTA", 2),
        entry("i-fu", ["c-zoe"], "Call about the boat", 10,
              follow_ups=[FollowUp("Send the regatta photos", id="f-1")]),
        entry("i-other", ["c-zoe"], "Quarterly review", 1),
    ]
    return people, entries


def test_every_word_must_match_accent_and_case_insensitively_newest_first():
    index = SearchIndex(*small_book())
    hits = index.search("REGATTA").hits
    assert [h.entry_id for h in hits if h.kind == "entry"] == ["i-new", "i-fu", "i-old"]
    zoe = [h for h in hits if h.kind == "contact"]  # "Régate" is not "regatta"
    assert zoe == []
    assert [h.entry_id or h.contact_ids[0] for h in index.search("régate").hits] == ["c-zoe"]
    # Two words: both must be in the document (the names of its people count).
    assert [h.entry_id for h in index.search("zoe regatta").hits] == ["i-new", "i-fu"]
    assert [h.entry_id for h in index.search("okafor crewing").hits] == ["i-new"]
    assert index.search("regatta nowhere").hits == []
    assert index.search("   ").hits == []


def test_a_follow_up_match_shows_the_follow_up_with_the_word_marked():
    index = SearchIndex(*small_book())
    (hit,) = index.search("photos").hits
    assert (hit.kind, hit.entry_id, hit.field) == ("entry", "i-fu", "follow-up")
    assert hit.snippet == "Send the regatta photos"
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["photos"]


def test_contact_fields_match_with_the_field_named():
    index = SearchIndex(*small_book())
    (hit,) = index.search("fjord").hits
    assert (hit.kind, hit.contact_ids, hit.field, hit.snippet) == \
        ("contact", ("c-zoe",), "company", "Fjord")
    (hit,) = index.search("#sailing").hits
    assert hit.field == "interest"


def test_limit_says_when_there_is_more():
    index = SearchIndex(*small_book())
    result = index.search("regatta", limit=2)
    assert [h.entry_id for h in result.hits] == ["i-new", "i-fu"] and result.more
    assert not index.search("regatta", limit=3).more


def test_snippet_is_cut_around_the_match_on_one_line_without_control_characters():
    text = ("word " * 40) + "the Régate\x1b[31m at Cowes\n" + ("more " * 40)
    snippet, spans = make_snippet(text, ["regate"], width=40)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "\x1b" not in snippet and "\n" not in snippet
    assert len(snippet) <= 42
    assert [snippet[a:b] for a, b in spans] == ["Régate"]


def test_snippet_maps_folded_offsets_back_across_expanding_characters():
    # "ß" folds to "ss" and "ﬁ" to "fi": the span must still cover the typed text.
    snippet, spans = make_snippet("Straße ﬁnal Cowes", ["cowes"])
    assert [snippet[a:b] for a, b in spans] == ["Cowes"]


words = st.text(alphabet="abcéÉ ", min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.text(alphabet="abcéÉ \n\x00ß", max_size=30), min_size=1, max_size=8),
       query=words)
def test_search_finds_exactly_what_a_naive_scan_finds(texts, query):
    people = [person("c-a", "A")]
    entries = [entry(f"i-{n}", ["c-a"], text, n) for n, text in enumerate(texts)]
    index = SearchIndex(people, entries)
    wanted = fold(query).split()
    expected = set()
    for e in entries:
        # A word never matches across fields (they are joined with a space).
        folded = fold(" ".join([*(t for _, t in entry_fields(e)), "a"]).replace("\x00", " "))
        if wanted and all(w in folded for w in wanted):
            expected.add(e.id)
    contact_text = fold(" ".join(t for _, t in contact_fields(people[0])))
    if wanted and all(w in contact_text for w in wanted):
        expected.add("c-a")
    found = {h.entry_id or h.contact_ids[0] for h in index.search(query, limit=None).hits}
    assert found == expected


# ---------------------------------------------------------------- the CLI


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_search_prints_person_date_and_snippet_and_json(capsys, db_path):
    assert cli(capsys, "add", "Zoë Ångström")[0] == 0
    assert cli(capsys, "add", "Dan Okafor")[0] == 0
    assert cli(capsys, "log", "Dan", "Talked about the regatta",
               "--at", "2026-10-01 10:00")[0] == 0
    assert cli(capsys, "log", "Zoë", "She is crewing in the Régatta\x1b[2J",
               "--at", "2026-11-20 09:00")[0] == 0
    code, out, err = cli(capsys, "search", "REGATTA")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("2026-11-20") and "Zoë Ångström · entry" in lines[0]
    assert lines[1].strip() == "She is crewing in the Régatta [2J"  # no escape reaches the tty
    assert lines[2].startswith("2026-10-01") and "Dan Okafor · entry" in lines[2]
    assert "Talked about the regatta" in lines[3]
    code, out, _ = cli(capsys, "search", "--json", "the")
    rows = json.loads(out)
    assert [r["contacts"] for r in rows] == [["Zoë Ångström"], ["Dan Okafor"]]
    assert rows[0]["at"].startswith("2026-11-20") and rows[0]["field"] == "text"
    code, out, _ = cli(capsys, "search", "--limit", "1", "the")
    assert "more match" in out
    code, out, _ = cli(capsys, "search", "nothing-here")
    assert code == 0 and out.startswith("Nothing matches")


def test_cli_search_refuses_an_empty_query(capsys, db_path):
    code, _, err = cli(capsys, "search", " ")
    assert code == 1 and "at least one word" in err
