"""What an import found and did, in terms a person can act on. Pure data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nurture.model import Contact

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called while records are read, so a UI can show a bar."""


@dataclass(slots=True)
class Problem:
    """Something wrong at a known place in an input file.

    ``skipped`` says whether the whole record was left out (a truncated card, a
    row without a name) or only one value could not be used (it is then kept
    as it was, or named in the message).
    """

    source: str
    where: str  # "card 3 (line 17)", "line 12", "contacts c-k3f9q2xa"
    message: str
    field: str = ""
    skipped: bool = True

    def __str__(self) -> str:
        place = f"{self.source}: {self.where}" if self.where else self.source
        if self.field:
            place += f" [{self.field}]"
        return f"{place}: {self.message}"


@dataclass(slots=True)
class Incoming:
    """A contact read from a file, with where it came from (for reports)."""

    contact: Contact
    source: str
    where: str

    def place(self) -> str:
        return ": ".join(p for p in (self.source, self.where) if p)


@dataclass(slots=True)
class Merge:
    """An incoming record folded into a contact the user already has."""

    contact: Contact  # the merged result, to be saved
    matched_by: str  # "uid", "email ana@example.com", "phone +351…", "name"
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # kept the user's value
    places: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Skip:
    place: str
    name: str
    reason: str


@dataclass(slots=True)
class ReadResult:
    """Contacts read from one or more files, what was wrong, and what was left out."""

    incoming: list[Incoming] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    detected: str = ""  # the CSV producer recognised ("google", "outlook", …)

    def extend(self, other: ReadResult) -> None:
        self.incoming.extend(other.incoming)
        self.problems.extend(other.problems)
        self.skipped.extend(other.skipped)
        self.sources.extend(other.sources)


@dataclass(slots=True)
class ImportPlan:
    """What an import would do; ``--dry-run`` prints it, a real import saves it."""

    added: list[Incoming] = field(default_factory=list)
    merged: list[Merge] = field(default_factory=list)
    unchanged: list[Incoming] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)

    def to_save(self) -> list[Contact]:
        """Every contact the import writes, each once."""
        out: dict[str, Contact] = {}
        for item in self.added:
            out[item.contact.id] = item.contact
        for merge in self.merged:
            out[merge.contact.id] = merge.contact
        return list(out.values())


@dataclass(slots=True)
class ImportReport:
    """The outcome of one import: the plan, the problems, and whether it was saved."""

    sources: list[str]
    format: str
    plan: ImportPlan
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    read: int = 0  # records read successfully
    extra_counts: dict[str, int] = field(default_factory=dict)  # e.g. JSON tables

    @property
    def bad_records(self) -> int:
        return sum(1 for p in self.problems if p.skipped)

    def summary(self) -> str:
        """One line: added, merged, unchanged, skipped (with reasons counted)."""
        plan = self.plan
        verb = "would add" if self.dry_run else "added"
        parts = [f"{verb} {len(plan.added)}",
                 f"{'would merge' if self.dry_run else 'merged'} {len(plan.merged)}",
                 f"unchanged {len(plan.unchanged)}"]
        skipped = len(plan.skipped) + self.bad_records
        parts.append(f"skipped {skipped}")
        reasons = self.skip_reasons()
        if reasons:
            parts[-1] += " (" + ", ".join(f"{n} {why}" for why, n in reasons.items()) + ")"
        for table, n in self.extra_counts.items():
            parts.append(f"{table} {n}")
        head = "Dry run: " if self.dry_run else ""
        return head + "; ".join(parts) + "."

    def skip_reasons(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for skip in self.plan.skipped:
            key = skip.reason.split(":")[0]
            counts[key] = counts.get(key, 0) + 1
        bad = self.bad_records
        if bad:
            counts["unreadable"] = counts.get("unreadable", 0) + bad
        return counts

    def details(self) -> list[str]:
        """What happened to each record, for ``--dry-run`` and ``--verbose``."""
        lines: list[str] = []
        for item in self.plan.added:
            lines.append(f"+ {item.contact.display_name}  ({item.place()})")
        for merge in self.plan.merged:
            what = "; ".join(merge.changes) or "no new details"
            lines.append(f"~ {merge.contact.display_name}  (matched by {merge.matched_by}): "
                         f"{what}")
            lines.extend(f"    kept yours: {c}" for c in merge.conflicts)
        for item in self.plan.unchanged:
            lines.append(f"= {item.contact.display_name}  (already up to date; {item.place()})")
        for skip in self.plan.skipped:
            lines.append(f"- {skip.name}  ({skip.place}): {skip.reason}")
        return lines


@dataclass(slots=True)
class ExportReport:
    """What an export wrote."""

    target: str
    format: str
    written: int  # records (contacts, events) written
    files: int = 1
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        where = f"{self.files} files in {self.target}" if self.files != 1 else self.target
        if where == "-":
            where = "standard output"
        noun = "record" if self.written == 1 else "records"
        text = f"Exported {self.written} {self.format} {noun} to {where}."
        return " ".join([text, *self.notes])
