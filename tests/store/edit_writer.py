"""One editor of one contact, driven line by line from stdin (run as a script, not collected).

The concurrency tests start two of these on one data file and interleave them
exactly, as two app windows or two ``nurture edit`` would:

    read            open the contact for editing (remember it as it is now)
    set FIELD TEXT  change a field of the open edit (company, title, notes…)
    save            save the edit; prints ``saved`` or ``conflict FIELD[,FIELD]``

Each command answers one line, so the test waits on the answer, never on time.
"""

from __future__ import annotations

import dataclasses
import os
import sys

from nurture.errors import EditConflict
from nurture.store import open_store


def say(text: str) -> None:
    os.write(1, (text + "\n").encode())


def main() -> None:
    store = open_store(sys.argv[1], backups_keep=0)
    contact_id = sys.argv[2]
    base = edit = None
    for line in sys.stdin:
        command, _, rest = line.rstrip("\n").partition(" ")
        if command == "read":
            base = store.contact(contact_id)
            edit = dataclasses.replace(base)
            say("read")
        elif command == "set":
            field, _, value = rest.partition(" ")
            setattr(edit, field, value)
            say("set")
        elif command == "save":
            try:
                store.save_contact(edit, base=base)
            except TypeError:  # a store without revisions (to measure the old behaviour)
                store.save_contact(edit)
            except EditConflict as exc:
                say("conflict " + ",".join(exc.fields))
                continue
            say("saved")
        elif command == "quit":
            break
    store.close()


if __name__ == "__main__":
    main()
