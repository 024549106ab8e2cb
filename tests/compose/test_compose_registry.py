"""User templates from a folder: good files load, bad ones are named with their field."""

from pathlib import Path

import pendulum
import pytest

from nurture.compose import builtin_templates, choose_template, fill, load_templates
from nurture.model import Contact, Suggestion

GOOD = '''
title = "Coffee?"
subject = "Coffee soon, {first_name}?"
body = """
Hi {first_name},

Fancy a coffee next week?[ I'd love to hear more about {interest}.]

{my_name}
"""
'''


def write(folder, name, text, mode="w"):
    path = folder / name
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_no_folder_gives_the_builtins():
    templates, problems = load_templates(None)
    assert problems == [] and set(templates) == set(builtin_templates())


def test_missing_folder_is_fine(tmp_path):
    templates, problems = load_templates(tmp_path / "nope")
    assert problems == [] and templates == builtin_templates()


def test_a_user_template_loads_and_fills(tmp_path):
    write(tmp_path, "coffee.toml", GOOD)
    templates, problems = load_templates(tmp_path)
    assert problems == []
    coffee = templates["coffee"]
    assert coffee.title == "Coffee?" and coffee.source == str(tmp_path / "coffee.toml")
    note = fill(coffee, Contact(id="c-1", display_name="Dana", interests=["sailing"]),
                my_name="Alex")
    assert note.subject == "Coffee soon, Dana?"
    assert note.body == ("Hi Dana,\n\nFancy a coffee next week? I'd love to hear more about "
                         "sailing.\n\nAlex")


def test_a_user_file_replaces_a_builtin(tmp_path):
    write(tmp_path, "birthday.toml", 'body = "Happy birthday, {first_name}! Cake soon."')
    templates, problems = load_templates(tmp_path)
    assert problems == []
    note = fill(templates["birthday"], Contact(id="c-1", display_name="Dana"))
    assert note.body == "Happy birthday, Dana! Cake soon."
    assert note.subject == "Birthday"  # the title when there is no subject
    assert builtin_templates()["birthday"].source == "built-in"  # the cache is not touched


def test_variants_with_requires(tmp_path):
    write(tmp_path, "hello.toml", '''
id = "hello"
subject = "Hello"
[[variant]]
requires = ["interest"]
body = "Hi {first_name}, how is {interest}?"
[[variant]]
body = "Hi {first_name}!"
''')
    templates, _ = load_templates(tmp_path)
    assert fill(templates["hello"], Contact(id="c", display_name="Al")).body == "Hi Al!"
    assert fill(templates["hello"], Contact(id="c", display_name="Al", interests=["go"])).body \
        == "Hi Al, how is go?"


@pytest.mark.parametrize(("text", "field", "message"), [
    ("this is = not toml [", None, "not valid TOML"),
    ('title = "x"', "body", "is missing"),
    ('body = "Hi {frist_name}"', "body", "unknown placeholder {frist_name}"),
    ('body = """\nHi\n[oops"""', "body", "never closed"),
    ('bodt = "Hi"\nbody = "Hi"', "bodt", "is not a template field"),
    ('body = 3', "body", "must be text"),
    ('id = "Bad Id"\nbody = "Hi"', "id", "lower-case"),
    ('body = "Hi"\nrequires = "interest"', "requires", "list of placeholder names"),
    ('body = "Hi"\nrequires = ["nope"]', "requires", "unknown placeholder 'nope'"),
    ('subject = "{x"\nbody = "Hi"', "subject", "line 1"),
    ('[[variant]]\nbody = "Hi"\n[[variant]]\nbody = "Yo {bad}"', "variant[2].body",
     "unknown placeholder {bad}"),
    ('[[variant]]\nsubjet = "x"\nbody = "Hi"', "variant[1].subjet", "not a variant field"),
    ('body = "Hi"\n[[variant]]\nbody = "Yo"', "body", "not both"),
])
def test_bad_files_are_reported_with_file_and_field_and_the_rest_load(tmp_path, text, field,
                                                                       message):
    write(tmp_path, "a-good.toml", GOOD)
    bad = write(tmp_path, "bad.toml", text)
    templates, problems = load_templates(tmp_path)
    assert "a-good" in templates and "bad" not in templates
    assert len(problems) == 1
    (problem,) = problems
    assert problem.startswith(str(bad))
    assert message in problem
    if field:
        assert f"[{field}]" in problem


def test_not_utf8_and_too_large(tmp_path):
    write(tmp_path, "latin.toml", 'body = "caf\xe9"'.encode("latin-1"), mode="wb")
    write(tmp_path, "huge.toml", 'body = "' + "x" * 70_000 + '"')
    _templates, problems = load_templates(tmp_path)
    assert any("latin.toml" in p and "UTF-8" in p for p in problems)
    assert any("huge.toml" in p and "larger" in p for p in problems)


def test_other_files_are_ignored(tmp_path):
    write(tmp_path, "notes.txt", "not a template")
    write(tmp_path, ".hidden.toml", "broken [")
    (tmp_path / "dir.toml").mkdir()
    templates, problems = load_templates(tmp_path)
    assert problems == [] and templates == builtin_templates()


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    locked = write(tmp_path, "locked.toml", GOOD)
    write(tmp_path, "open.toml", GOOD)
    real = Path.read_bytes

    def read_bytes(path):
        if path == locked:  # chmod 0 does not stop root, so fail the read itself
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    templates, problems = load_templates(tmp_path)
    assert "open" in templates and "locked" not in templates
    assert problems == [f"{locked}: cannot be read (Permission denied)"]


def sug(rule, template="", **facts):
    return Suggestion(key="k", rule=rule, contact_ids=["c"], title="t", reason="r",
                      due=pendulum.date(2025, 1, 1), priority=1.0, template=template, facts=facts)


@pytest.mark.parametrize(("suggestion", "expected"), [
    (None, "thinking-of-you"),
    (sug("key-date", "birthday", date_label="Birthday"), "birthday"),
    (sug("key-date", "anniversary", date_label="wedding anniversary"), "anniversary"),
    (sug("key-date", "congratulations", date_label="Maya's graduation"), "congratulations"),
    # Never "Happy anniversary!" on the anniversary of a loss, nor congratulations on surgery.
    (sug("key-date", "anniversary", date_label="Anniversary of Dad's death"), "thinking-of-you"),
    (sug("key-date", "congratulations", date_label="knee surgery"), "thinking-of-you"),
    (sug("key-date", "thinking-of-you", date_label="name day"), "thinking-of-you"),
    (sug("news", "clipping"), "clipping"),
    (sug("life-event", "congratulations"), "congratulations"),
    (sug("thank-you", "nice-to-meet-you"), "nice-to-meet-you"),
    (sug("dormant", "thank-you"), "thank-you"),
    (sug("news", "no-such-template"), "clipping"),
    (sug("my-own-rule", ""), "thinking-of-you"),
    (sug("follow-up", ""), "check-in"),
])
def test_choose_template(suggestion, expected):
    assert choose_template(suggestion) == expected


def test_choose_a_user_template(tmp_path):
    write(tmp_path, "coffee.toml", GOOD)
    templates, _ = load_templates(tmp_path)
    assert choose_template(sug("my-rule", "coffee"), templates) == "coffee"
    assert choose_template(sug("my-rule", "coffee")) == "thinking-of-you"  # built-ins only
