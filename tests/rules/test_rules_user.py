"""User rules: [[rule]] tables in rules.toml, run like the built-ins."""

from __future__ import annotations

from pathlib import Path

import pendulum

from nurture.model import KeyDate, RelationshipKind
from nurture.rules import load_rules

from .book import entry, keys, news, only, person, run

K = RelationshipKind


def rules_from(tmp_path: Path, text: str):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    config, problems = load_rules(path)
    config.daily_limit = 0
    return config, problems, path


SAILING = """
[[rule]]
name = "sailing-season"
interests = ["sailing"]
kinds = ["friend", "client"]
days_since = 30
title = "Invite {first_name} out on the water"
reason = "{first_name} loves {interest}; {days_since} days since you were in touch."
channel = "phone"
template = "thinking-of-you"
priority = 9
"""


def test_a_rule_on_interests_kinds_and_days_since(tmp_path):
    config, problems, _ = rules_from(tmp_path, SAILING)
    assert problems == []
    maya = person("Maya Lopez", kind=K.FRIEND, interests=["jazz", "sailing"],
                  channels=["email"])
    bob = person("Bob Stone", kind=K.SUPPLIER, interests=["sailing"])
    quiet = [entry(maya, "email", "2026-10-01"), entry(bob, "call", "2026-10-01")]
    [found] = only(run([maya, bob], quiet, rules=config), "sailing-season")
    assert found.key == "sailing-season:c-maya:2026-10-01"
    assert found.title == "Invite Maya out on the water"
    assert found.reason == "Maya loves sailing; 52 days since you were in touch."
    assert found.channel == "phone" and found.template == "thinking-of-you"
    assert found.due == pendulum.date(2026, 10, 31)
    recent = [entry(maya, "email", "2026-11-01")]
    assert only(run([maya], recent, rules=config), "sailing-season") == []


def test_a_rule_on_an_upcoming_date(tmp_path):
    config, problems, _ = rules_from(tmp_path, """
[[rule]]
name = "gift-ahead"
date = "anniversary"
within_days = 14
kinds = ["family"]
title = "Find a gift for {name}"
reason = "Their {date_label} is on {date}."
template = "anniversary"
""")
    assert problems == []
    sis = person("Sara Lopez", kind=K.FAMILY,
                 dates=[KeyDate.parse("anniversary", "2015-12-06")])
    [found] = only(run([sis], rules=config), "gift-ahead")
    assert found.key == "gift-ahead:c-sara:anniversary:2026"
    assert found.reason == "Their anniversary is on Sun 6 Dec."
    assert found.due == pendulum.date(2026, 11, 22)
    assert only(run([sis], rules=config, today=pendulum.date(2026, 11, 21)), "gift-ahead") == []


def test_a_rule_on_a_news_tag_for_a_kind_of_person(tmp_path):
    config, problems, _ = rules_from(tmp_path, """
[[rule]]
name = "funding-news"
news_tag = "funding"
kinds = ["investor"]
title = "Tell {first_name}: {news_title}"
reason = "Funding news for an investor: {news_url}"
""")
    assert problems == []
    grace = person("Grace Adeyemi", kind=K.INVESTOR)
    tom = person("Tom Becker", kind=K.PARTNER)
    item = news("Lumen raises a Series B", tags=["Funding"], id="n-b", url="https://x.test/b")
    [found] = only(run([grace, tom], items=[item], rules=config), "funding-news")
    assert found.key == "funding-news:c-grace:n-b"
    assert found.title == "Tell Grace: Lumen raises a Series B"
    assert found.reason == "Funding news for an investor: https://x.test/b"
    assert found.template == "clipping"
    assert found.facts["news_id"] == "n-b"


def test_a_news_tag_rule_without_who_goes_to_the_people_the_item_matches(tmp_path):
    config, _, _ = rules_from(tmp_path, """
[[rule]]
name = "big-match"
news_tag = "playoffs"
title = "Playoffs: call {first_name}"
reason = "{news_title}"
""")
    dan = person("Dan Okafor", interests=["yankees"])
    eve = person("Eve Stone", interests=["opera"])
    item = news("Yankees reach the playoffs", tags=["playoffs", "yankees"])
    assert keys(run([dan, eve], items=[item], rules=config), "big-match") == [
        f"big-match:c-dan:{item.id}"]


def test_company_condition_ignores_legal_suffixes(tmp_path):
    config, problems, _ = rules_from(tmp_path, """
[[rule]]
name = "acme-quarterly"
company = "Acme"
days_since = "3m"
title = "Quarterly check with {name} at {company}"
reason = "{last_spoke}"
""")
    assert problems == []
    priya = person("Priya Raman", company="ACME Corporation")
    grid = person("Gil Ross", company="Acmegrid")
    old = [entry(priya, "call", "2026-06-01"), entry(grid, "call", "2026-06-01")]
    [found] = only(run([priya, grid], old, rules=config), "acme-quarterly")
    assert found.title == "Quarterly check with Priya Raman at ACME Corporation"
    assert found.reason == "You last spoke 5 months ago."


def test_an_invalid_rule_is_reported_and_skipped_while_the_others_run(tmp_path):
    config, problems, path = rules_from(tmp_path, SAILING + """
[[rule]]
name = "broken"
days_since = 10
title = "Hello {nickname}"
reason = "x"
""")
    assert [r.id for r in config.user_rules] == ["sailing-season"]
    [problem] = problems
    assert problem.startswith(f'{path}:13 [rule "broken".title]: unknown placeholder '
                              "{nickname}")
    assert problem.endswith("this rule is skipped")
    # The built-in rules still run.
    maya = person("Maya Lopez", dates=[KeyDate.parse("birthday", "1990-11-22")])
    assert keys(run([maya], rules=config), "key-date")


def bad(tmp_path: Path, body: str) -> str:
    config, problems, _ = rules_from(tmp_path, "[[rule]]\n" + body)
    assert config.user_rules == []
    [problem] = problems
    return problem


def test_each_mistake_names_the_rule_and_the_field(tmp_path):
    base = 'title = "t"\nreason = "r"\n'
    cases = [
        ('name = "a"\n' + base, '[rule "a"]: needs a trigger'),
        ('name = "a"\ndays_since = 5\ntitle = "{interest}"\nreason = "r"\n',
         '[rule "a".title]: {interest} needs the rule to have interests'),
        ('name = "a"\ndays_since = 5\nchannel = "pigeon"\n' + base,
         '[rule "a".channel]: \'pigeon\' is not a channel'),
        ('name = "a"\ndays_since = 5\ntemplate = "sonnet"\n' + base,
         '[rule "a".template]: \'sonnet\' is not a template'),
        ('name = "a"\ndays_since = 5\nkinds = ["frenemy"]\n' + base,
         '[rule "a".kinds]: \'frenemy\' is not a relationship kind'),
        ('name = "a"\ndays_since = 5\ninterests = "sailing"\n' + base,
         '[rule "a".interests]: must be a list of strings'),
        ('name = "a"\ndays_since = "soon"\n' + base, '[rule "a".days_since]:'),
        ('name = "a"\ndays_since = 5\npriority = "high"\n' + base,
         '[rule "a".priority]: must be a number'),
        ('name = "a"\ndays_since = 5\nwhen = 3\n' + base, '[rule "a".when]: unknown field'),
        ('name = "a"\nwithin_days = 3\ndays_since = 5\n' + base,
         '[rule "a".within_days]: only means something with date'),
        ('name = "a"\ndays_since = 5\ntitle = "{name"\nreason = "r"\n', '[rule "a".title]:'),
        ('name = "a"\ndays_since = 5\ntitle = "t"\nreason = "{days_since:d} days"\n',
         '[rule "a".reason]: {days_since} has a format that text cannot take'),
        ('name = "a"\ndays_since = 5\ntitle = "{name!x}"\nreason = "r"\n',
         '[rule "a".title]: {name} has a format that text cannot take'),
        ('name = "Sailing Season"\ndays_since = 5\n' + base, '[rule "Sailing Season".name]:'),
        ('name = "dormant"\ndays_since = 5\n' + base,
         "[rule \"dormant\".name]: 'dormant' is a built-in rule"),
        ('days_since = 5\n' + base, "[rule #1.name]: is required"),
    ]
    for body, expected in cases:
        assert expected in bad(tmp_path, body), body


def test_duplicate_names_keep_the_first(tmp_path):
    rule = '[[rule]]\nname = "a"\ndays_since = 5\ntitle = "t"\nreason = "r"\n'
    config, [problem], path = rules_from(tmp_path, rule + rule)
    assert [r.id for r in config.user_rules] == ["a"]
    assert f'{path}:6 [rule "a".name]: another rule has this name' in problem


def test_a_user_rule_can_be_disabled(tmp_path):
    config, problems, _ = rules_from(tmp_path, 'disabled = ["sailing-season"]\n' + SAILING)
    assert problems == []
    maya = person("Maya Lopez", kind=K.FRIEND, interests=["sailing"])
    assert only(run([maya], [entry(maya, "email", "2026-10-01")], rules=config),
                "sailing-season") == []


def test_text_formats_in_placeholders_still_work(tmp_path):
    config, problems, _ = rules_from(tmp_path, """
[[rule]]
name = "short"
days_since = 30
title = "{first_name:.3}|{name!r}"
reason = "[{days_since:>4}]"
""")
    assert problems == []
    maya = person("Maya Lopez", kind=K.FRIEND)
    [found] = only(run([maya], [entry(maya, "email", "2026-10-01")], rules=config), "short")
    assert found.title == "May|'Maya Lopez'"
    assert found.reason == "[  52]"
