"""config.toml: defaults when missing, typed values, and errors that name the field."""

from __future__ import annotations

import pytest

from nurture.config import load_config
from nurture.errors import InputFileError


def test_missing_file_gives_defaults(tmp_path):
    config = load_config(tmp_path / "none.toml")
    assert config.review_on_start is True and config.backups_keep == 7 and config.my_name == ""


def test_values_are_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nreview_on_start = false\ntheme = "nord"\n'
                    '[keymap]\nquick-note = "ctrl+q"\n[compose]\nmy_name = "Sam"\n'
                    '[store]\nbackups_keep = 3\n'
                    '[news]\nmax_per_day = 5\n[news.synonyms]\nyankees = ["bronx bombers"]\n')
    config = load_config(path)
    assert (config.review_on_start, config.theme, config.my_name) == (False, "nord", "Sam")
    assert config.keymap == {"quick-note": "ctrl+q"}
    assert config.backups_keep == 3 and config.news_max_per_day == 5
    assert config.synonyms == {"yankees": ["bronx bombers"]}


@pytest.mark.parametrize(("text", "where"), [
    ("[store]\nbackups_keep = \"many\"\n", "[store.backups_keep]"),
    ("[ui]\nreview_on_start = 1\n", "[ui.review_on_start]"),
    ("[store]\nbackups_keep = true\n", "[store.backups_keep]"),
    ("[keymap]\nquick-note = 3\n", "[keymap.quick-note]"),
    ("[news.synonyms]\nyankees = \"bronx\"\n", "[news.synonyms.yankees]"),
    ("ui = 3\n", "[ui]"),
    ("[ui\n", "not valid TOML"),
])
def test_errors_name_the_file_and_field(tmp_path, text, where):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(InputFileError) as info:
        load_config(path)
    assert str(path) in str(info.value) and where in str(info.value)


@pytest.mark.parametrize("text", ["[news]\nkeep_days = 9223372036854775807\n",
                                  "[news]\nfresh_days = -1\n",
                                  "[store]\nbackups_keep = 100000000\n"])
def test_a_huge_or_negative_count_is_refused_when_read(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(InputFileError, match=r"must be a whole number from 0 to 3650, got -?\d+$"):
        load_config(path)


def test_a_huge_keep_days_is_one_sentence_at_the_command_line(tmp_path, capsys, monkeypatch):
    from nurture.cli import main

    path = tmp_path / "config.toml"
    path.write_text("[news]\nkeep_days = 9223372036854775807\n")
    assert main(["--config", str(path), "feeds", "fetch"]) == 1
    assert capsys.readouterr().err == (f"nurture: {path} [news.keep_days]: must be a whole "
                                       "number from 0 to 3650, got 9223372036854775807\n")


def test_an_smtp_port_is_bounded_as_a_port_not_as_a_count_of_days(tmp_path) -> None:
    from nurture.config import load_config
    from nurture.errors import InputFileError

    path = tmp_path / "config.toml"
    path.write_text("[digest]\nsmtp_port = 2525\n")
    assert load_config(path).digest.smtp_port == 2525
    path.write_text("[digest]\nsmtp_port = 70000\n")
    with pytest.raises(InputFileError, match="from 0 to 65535"):
        load_config(path)
