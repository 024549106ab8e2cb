"""Real Maildir folders and mbox files, written by the standard library's ``mailbox`` module."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage, Message
from pathlib import Path

from nurture.model import Contact, Email

ME = "sam@example.org"


def contacts() -> list[Contact]:
    """Ana (two addresses), Ben, and Chloé, whose name arrives RFC 2047-encoded."""
    return [
        Contact(id="c-ana", display_name="Ana Lima",
                emails=[Email("ana@example.org"), Email("Ana.Lima@Work.example")]),
        Contact(id="c-ben", display_name="Ben Okafor", emails=[Email("ben@example.net")]),
        Contact(id="c-chloe", display_name="Chloé Martin", emails=[Email("chloe@example.fr")]),
    ]


def message(sender: str, to: str, subject: str, date: str, message_id: str | None, *,
            cc: str = "", references: str = "", headers: dict[str, str] | None = None,
            body: str = "Hello.\n") -> EmailMessage:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = to
    if cc:
        m["Cc"] = cc
    m["Subject"] = subject
    m["Date"] = date
    if message_id is not None:
        m["Message-ID"] = message_id
    if references:
        m["References"] = references
        m["In-Reply-To"] = references.split()[-1]
    for name, value in (headers or {}).items():
        m[name] = value
    m.set_content(body)
    return m


def raw_message(text: str) -> bytes:
    """A message exactly as written (``mailbox`` stores bytes as they are)."""
    return text.encode("utf-8")


# The mail the tests expect, one line each:
#  a1  Ana -> me          Thu 19 Nov 09:00 UTC   "Lunch on Friday?"   (display name, thread root)
#  a2  me -> Ana          Thu 19 Nov 10:15 UTC   "Re: Lunch on Friday?" (reply: same touch)
#  a3  Ana -> me          Thu 19 Nov 11:00 UTC   "Re: Re: Lunch …"    (reply to the reply)
#  a4  Ana(work) -> me    Fri 20 Nov 08:00 +0100 "Re: Lunch on Friday?" (next day: a new touch)
#  b1  me -> Ben, Cc Chloé Wed 18 Nov 16:30 -0500 "Project kickoff" (two contacts, encoded Cc name)
#  l1  list -> me, Ana    Thu 19 Nov 12:00 "[team] digest"        List-Id: not a touch
#  l2  news -> me          Precedence: bulk                        not a touch
#  l3  no-reply@shop       receipt to me and Ben                    not a touch
#  s1  stranger -> me      not a contact: not a touch (counted for --suggest)
#  n1  Chloé -> me, no Message-ID, RFC 2047 subject "Café demain ?"
#  m1  Ben -> me, then a header line without a colon: what came before it is read
MAILDIR_MESSAGES: list[Message | bytes] = [
    message("Ana Lima <ana@example.org>", f"Sam <{ME}>", "Lunch on Friday?",
            "Thu, 19 Nov 2026 09:00:00 +0000", "<a1@mail.example.org>"),
    message(f"Sam <{ME}>", "\"Lima, Ana\" <ANA@example.org>", "Re: Lunch on Friday?",
            "Thu, 19 Nov 2026 10:15:00 +0000", "<a2@mail.example.org>",
            references="<a1@mail.example.org>"),
    message("Ana Lima <ana@example.org>", ME, "Re: Re: Lunch on Friday?",
            "Thu, 19 Nov 2026 11:00:00 +0000", "<a3@mail.example.org>",
            references="<a1@mail.example.org> <a2@mail.example.org>"),
    message("Ana Lima <ana.lima@work.example>", ME, "Re: Lunch on Friday?",
            "Fri, 20 Nov 2026 08:00:00 +0100", "<a4@mail.example.org>",
            references="<a1@mail.example.org> <a2@mail.example.org> <a3@mail.example.org>"),
    message(ME, "Ben Okafor <ben@example.net>, someone@else.example", "Project kickoff",
            "Wed, 18 Nov 2026 16:30:00 -0500", "<b1@mail.example.org>",
            cc="=?utf-8?q?Chlo=C3=A9_Martin?= <chloe@example.fr>"),
    message("Team list <team@lists.example.org>", f"{ME}, ana@example.org", "[team] digest",
            "Thu, 19 Nov 2026 12:00:00 +0000", "<l1@lists.example.org>",
            headers={"List-Id": "Team <team.lists.example.org>"}),
    message("News <news@example.com>", ME, "This week", "Thu, 19 Nov 2026 12:00:00 +0000",
            "<l2@example.com>", headers={"Precedence": "bulk"}),
    message("Shop <no-reply@shop.example>", f"{ME}, ben@example.net", "Your receipt",
            "Thu, 19 Nov 2026 13:00:00 +0000", "<l3@shop.example>"),
    message("Dana Stranger <dana@stranger.example>", ME, "Hello from Dana",
            "Thu, 19 Nov 2026 14:00:00 +0000", "<s1@stranger.example>"),
    message("=?iso-8859-1?q?Chlo=E9?= <chloe@example.fr>", ME,
            "=?utf-8?b?Q2Fmw6kgZGVtYWluID8=?=", "Tue, 17 Nov 2026 18:00:00 +0100", None),
    raw_message(f"From: ben@example.net\nTo: {ME}\nDate: Mon, 16 Nov 2026 08:00:00 +0000\n"
                "Message-ID: <m1@example.net>\nThis line has no colon\n"
                "Subject: lost after the broken line\n\nbody\n"),
]


def make_maildir(path: Path, messages: list[Message | bytes]) -> list[str]:
    """A Maildir at ``path`` holding ``messages`` (in new/); returns the mailbox keys."""
    box = mailbox.Maildir(str(path), create=True)
    try:
        return [box.add(m) for m in messages]
    finally:
        box.close()


def make_mbox(path: Path, messages: list[Message | bytes]) -> None:
    box = mailbox.mbox(str(path), create=True)
    box.lock()
    try:
        for m in messages:
            box.add(m)
        box.flush()
    finally:
        box.unlock()
        box.close()
