"""rules.toml: tuning the built-in rules; every mistake reported, nothing stops the review."""

from __future__ import annotations

from pathlib import Path

from nurture.config import Config
from nurture.model import RelationshipKind
from nurture.rules import RulesConfig, load_rules

from .book import entry, keys, person, run


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_the_defaults_and_no_problems(tmp_path):
    config, problems = load_rules(tmp_path / "rules.toml")
    assert problems == []
    assert config.dormant_days == 182 and config.lead_for("card") == 7


def test_builtin_rules_are_tuned_in_the_file(tmp_path):
    path = write(tmp_path, """
disabled = ["dormant"]

[builtin.key-date]
lead_days = { card = 10, email = 1 }
priority = 8

[builtin.cadence]
defaults = { client = "1m", friend = "" }

[builtin.dormant]
after = "3m"
max_per_day = 5

[builtin.news]
fresh_days = 3
max_per_day = 1

[ranking]
limit = 20
max_per_contact = 1
weights = { supplier = 2.5 }

[synonyms]
yankees = ["bronx bombers"]
""")
    config, problems = load_rules(path)
    assert problems == []
    assert config.lead_days == {"card": 10, "email": 1}
    assert config.priorities["key-date"] == 8
    assert config.cadences[RelationshipKind.CLIENT] == 30
    assert RelationshipKind.FRIEND not in config.cadences  # "" turns the default off
    assert config.cadences[RelationshipKind.FAMILY] == 30  # untouched defaults stay
    assert (config.dormant_days, config.dormant_max_per_day) == (90, 5)
    assert (config.news_fresh_days, config.news_max_per_day) == (3, 1)
    assert (config.daily_limit, config.max_per_contact) == (20, 1)
    assert config.kind_weights[RelationshipKind.SUPPLIER] == 2.5
    assert config.synonyms == {"yankees": ["bronx bombers"]}
    assert config.disabled == {"dormant"}


def test_a_disabled_rule_does_not_run(tmp_path):
    sid = person("Sid Patel", kind=RelationshipKind.SUPPLIER)
    old = entry(sid, "call", "2026-01-01")
    config, _ = load_rules(write(tmp_path, 'disabled = ["dormant"]\n'))
    config.daily_limit = 0
    assert keys(run([sid], [old]), "dormant")
    assert keys(run([sid], [old], rules=config), "dormant") == []


def test_not_toml_is_reported_with_the_file_and_the_defaults_apply(tmp_path):
    path = write(tmp_path, "[builtin.dormant\nafter = 3\n")
    config, [problem] = load_rules(path)
    assert problem.startswith(str(path))
    assert "not valid TOML" in problem and "line 1" in problem
    assert config.dormant_days == 182


def test_not_utf8_is_reported(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_bytes(b"\xff\xfe[builtin]\n")
    _, [problem] = load_rules(path)
    assert "not UTF-8" in problem


def test_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "rules.toml"
    path.mkdir()
    config, [problem] = load_rules(path)
    assert problem.startswith(f"{path}: cannot be read")
    assert config.dormant_days == 182


def test_bad_values_name_the_file_line_and_field_and_keep_the_rest(tmp_path):
    path = write(tmp_path, """
[builtin.dormant]
after = "soon"
max_per_day = 2

[builtin.key-date]
lead_days = { pigeon = 3 }

[builtin.birthdays]
lead = 3

[builtin.thank-you]
window = 5
within_days = true

[ranking]
max_per_contact = 0
""")
    config, problems = load_rules(path)
    assert len(problems) == 6, problems
    joined = "\n".join(problems)
    assert f"{path}:2 [builtin.dormant.after]: 'soon' is not a cadence" in joined
    assert f"{path}:6 [builtin.key-date.lead_days]: 'pigeon' is not a channel" in joined
    assert f"{path}:9 [builtin.birthdays]: no built-in rule 'birthdays'" in joined
    assert "[builtin.thank-you.window]: unknown setting; thank-you knows within_days" in joined
    assert "[builtin.thank-you.within_days]: must be a whole number, got True" in joined
    assert "[ranking.max_per_contact]: must be between 1 and 100, got 0" in joined
    # What was right still applies; what was wrong keeps its default.
    assert config.dormant_max_per_day == 2
    assert config.dormant_days == 182
    assert config.lead_days == {"card": 7}


def test_unknown_top_level_settings_and_disabled_names_are_reported(tmp_path):
    path = write(tmp_path, 'disabled = ["dormant", "birthdays"]\n[colours]\nx = 1\n')
    config, problems = load_rules(path)
    assert any("[disabled]: no rule named 'birthdays' to disable" in p for p in problems)
    assert any(f"{path}:2 [colours]: unknown setting" in p for p in problems)
    assert config.disabled == {"dormant"}


def test_news_settings_come_from_config_toml_and_rules_toml_wins(tmp_path):
    app = Config(news_fresh_days=10, news_max_per_day=4, synonyms={"yankees": ["nyy"]})
    base = RulesConfig.from_app_config(app)
    assert (base.news_fresh_days, base.news_max_per_day) == (10, 4)
    path = write(tmp_path, '[builtin.news]\nfresh_days = 2\n[synonyms]\nyankees = ["bronx"]\n')
    config, problems = load_rules(path, base)
    assert problems == []
    assert (config.news_fresh_days, config.news_max_per_day) == (2, 4)
    assert config.synonyms == {"yankees": ["nyy", "bronx"]}
    assert app.synonyms == {"yankees": ["nyy"]}  # the app's config is not changed
