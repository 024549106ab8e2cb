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
    matched_by: str = ""  # for an unchanged record: how it was recognised
    conflicts: list[str] = field(default_factory=list)  # stored values kept
    notes: list[str] = field(default_factory=list)  # e.g. why an added one was not merged

    def place(self) -> str:
        return ": ".join(p for p in (self.source, self.where) if p)


@dataclass(slots=True)
class Fold:
    """One incoming record merged into a contact: where it was, what matched, what it did."""

    place: str
    name: str
    into: str  # the contact's name
    into_place: str  # for a contact added by this import: where its first record was
    how: str
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Merge:
    """An incoming record folded into a contact the user already has."""

    contact: Contact  # the merged result, to be saved
    matched_by: str  # "uid", "email ana@example.com", "phone +351…", "name"
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # kept the user's value
    places: list[str] = field(default_factory=list)
    records: list[Fold] = field(default_factory=list)  # one per incoming record

    @property
    def record_count(self) -> int:
        return len(self.records) or len(self.places) or 1


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
    # Records merged into a contact this same import adds (the same person
    # twice in the input): counted with the merged, listed with -v.
    folded: list[Fold] = field(default_factory=list)

    @property
    def merged_records(self) -> int:
        return sum(m.record_count for m in self.merged) + len(self.folded)

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

    @property
    def records(self) -> int:
        """Every record the files held: each is added, merged, unchanged or skipped."""
        plan = self.plan
        return (len(plan.added) + plan.merged_records + len(plan.unchanged)
                + len(plan.skipped) + self.bad_records)

    def summary(self) -> str:
        """One line whose numbers add up: records read, then added, merged, unchanged, skipped."""
        plan = self.plan
        verb = "would add" if self.dry_run else "added"
        merged = plan.merged_records
        contacts = len(plan.merged) + len({f.into_place for f in plan.folded})
        merged_text = f"{'would merge' if self.dry_run else 'merged'} {merged}"
        if merged and contacts != merged:
            merged_text += f" (into {contacts} contact{'s' if contacts != 1 else ''})"
        differing = sum(1 for u in plan.unchanged if u.conflicts)
        unchanged_text = f"unchanged {len(plan.unchanged)}"
        if differing:
            unchanged_text += f" ({differing} with values that differ, kept as stored)"
        parts = [f"{verb} {len(plan.added)}", merged_text, unchanged_text]
        skipped = len(plan.skipped) + self.bad_records
        parts.append(f"skipped {skipped}")
        reasons = self.skip_reasons()
        if reasons:
            parts[-1] += " (" + ", ".join(f"{n} {why}" for why, n in reasons.items()) + ")"
        for table, n in self.extra_counts.items():
            parts.append(f"{table} {n}")
        head = "Dry run: " if self.dry_run else ""
        noun = "contact" if self.format == "json" else "record"
        noun += "" if self.records == 1 else "s"
        return f"{head}{self.records} {noun}: " + "; ".join(parts) + "."

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
        """What happened to each record, for ``--dry-run`` and ``--verbose``.

        Where a stored value and the file's differ, the stored one is kept
        and both are shown ("kept yours").
        """
        lines: list[str] = []
        for item in self.plan.added:
            lines.append(f"+ {item.contact.display_name}  ({item.place()})")
            lines.extend(f"    not merged: {note}" for note in item.notes)
        for merge in self.plan.merged:
            what = "; ".join(merge.changes) or "no new details"
            lines.append(f"~ {merge.contact.display_name}  (matched by {merge.matched_by}): "
                         f"{what}")
            if len(merge.records) > 1:
                lines.extend(f"    from {r.place} (matched by {r.how})" for r in merge.records)
            elif merge.places:
                lines.append(f"    from {merge.places[0]}")
            lines.extend(f"    kept yours: {c}" for c in merge.conflicts)
        for fold in self.plan.folded:
            what = "; ".join(fold.changes) or "no new details"
            lines.append(f"~ {fold.name}  ({fold.place}): the same person as {fold.into} "
                         f"({fold.into_place}), matched by {fold.how}: {what}")
            lines.extend(f"    kept the first: {c}" for c in fold.conflicts)
        for item in self.plan.unchanged:
            said = [f"matched by {item.matched_by}" if item.matched_by else "",
                    "nothing new" if item.conflicts else "already up to date", item.place()]
            lines.append(f"= {item.contact.display_name}  ({'; '.join(p for p in said if p)})")
            lines.extend(f"    kept yours: {c}" for c in item.conflicts)
        for skip in self.plan.skipped:
            lines.append(f"- {skip.name}  ({skip.place}): {skip.reason}")
        for problem in self.problems:
            if problem.skipped:
                lines.append(f"- ({problem.source}: {problem.where}): {problem.message}")
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
