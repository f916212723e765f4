"""Stored facts judged again with today's rules: by the migration that brought categories in, and whenever the rules
change (the rules' fingerprint is kept in the settings): a clinic's own words, or an update of the app whose rules
catch more. A fact only ever becomes more private here: what a person marked, or an earlier rule caught, stays
private. After an update this runs by itself, in the background of the window and before a command's own work
(companion.services.rules_update), so what the new rules hide is hidden in what was stored before them too."""

from __future__ import annotations

import hashlib
import json
import time

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from companion.errors import CompanionError
from companion.privacy.name_line import left_off_the_name_line
from companion.privacy.phrases import READING
from companion.privacy.rules import PrivacyRules, Verdict
from companion.storage import audit, busy, changes

FINGERPRINT_KEY = "privacy_rules"
RECHECKED_KINDS = ("priority", "note", "next_step", "visit", "care_goal")

# The columns as plain table clauses: the migration that first runs this must not depend on the models of later days.
_FACTS = {
    name: sa.table(
        name,
        sa.column("id"),
        sa.column("text"),
        sa.column("sensitive"),
        sa.column("private_category"),
        sa.column("private_reason"),
        *extra,
    )
    for name, extra in (
        ("priority", ()),
        ("contextnote", (sa.column("topic"), sa.column("code"))),
        ("nextstep", ()),
    )
}
_VISIT = sa.table(
    "visit", sa.column("id"), sa.column("reason"), sa.column("reason_private"), sa.column("reason_category")
)
# Judged again whenever the rules change: the migration's facts, and the care team's goals that came after it.
_RECHECKED = {
    **_FACTS,
    "caregoal": sa.table(
        "caregoal",
        sa.column("id"),
        sa.column("text"),
        sa.column("sensitive"),
        sa.column("private_category"),
        sa.column("private_reason"),
    ),
}
# Facts read and judged at a time; only those that change are written, in a write of their own, so another desk's
# save waits for a few updates at most, never for the judging (a large clinic's millions of notes take minutes).
BATCH = 2_000
LOG_EVERY_SECONDS = 5  # how often open windows are told to read again while a long run goes on
# Applied by itself (not asked for), a change of the rules that would make more than this share of the first facts
# read private is refused: an everyday word in a clinic's file would hide everything for good.
TOO_BROAD = 0.3
MIN_SAMPLE = 20
_SETTING = sa.table("setting", sa.column("key"), sa.column("value"))
_PATIENT = sa.table(
    "patient", sa.column("id"), sa.column("preferred_name"), sa.column("pronouns"), sa.column("preferred_language")
)


def fingerprint(spec: dict) -> str:
    """A short digest of the privacy files as read (shipped and the clinic's own), and of how a text is read: a
    change to either judges stored facts again."""
    return hashlib.sha256(
        json.dumps({"spec": spec, "reading": READING}, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]


def judge_stored(connection: Connection, rules: PrivacyRules) -> int:
    """Judge every stored fact and visit reason again, in the caller's transaction (migration 0005); returns how
    many became private or changed category."""
    judge = _judging(rules)
    changed = 0
    for table, words in [(table, "text") for table in _FACTS.values()] + [(_VISIT, "reason")]:
        for row in connection.execute(sa.select(table)).mappings().all():
            values = _new_values(table, row, words, judge)
            if values is not None:
                connection.execute(sa.update(table).where(table.c.id == row["id"]).values(**values))
                changed += 1
    return changed


def _judging(rules: PrivacyRules):
    """rules.judge for a stored fact's words, topic and code; the same words (a visit reason, a common need) are
    judged once."""
    verdicts: dict[tuple, Verdict] = {}

    def judge(text: str, topic: str = "", code: str = "") -> Verdict:
        key = (text, topic, code)
        if key not in verdicts:
            system, _, value = code.rpartition("|")
            if len(verdicts) > 50_000:
                verdicts.clear()
            verdicts[key] = rules.judge(text, topic=topic, codes=[(system, value)] if value else [])
        return verdicts[key]

    return judge


def _differs(verdict: Verdict, private, category: str, reason: str) -> bool:
    return (verdict.private, verdict.category, verdict.reason) != (bool(private), category, reason)


# The rules' fingerprints the stored facts have been judged by, newest first: two workstations whose content differs
# (a clinic file on one and not the other) each judge once, never again at every start of the other.
KEPT_FINGERPRINTS = 16


def judged_by(engine) -> list[str]:
    """The fingerprints of the rules stored facts have been judged by, newest first (one, before this was kept)."""
    with engine.connect() as connection:
        value = connection.execute(sa.select(_SETTING.c.value).where(_SETTING.c.key == FINGERPRINT_KEY)).scalar()
    return (value or "").split()


def fresh_settings(content) -> dict[str, str]:
    """What a database made now starts with: it holds nothing yet, so nothing is to be judged again."""
    return {FINGERPRINT_KEY: content.privacy_fingerprint}


class RulesTooBroad(CompanionError):
    """The updated rules would make most stored facts private: a clinic's phrase that matches everyday words."""


def recheck_stored(
    engine, content, force: bool = False, progress=None, refuse_above: float | None = None
) -> int | None:
    """Judge stored facts again when the rules have not judged them yet (or when forced); returns how many became
    private, None when there was nothing to do. In batches: each fact's new verdict is written only if the fact is
    still as it was judged (its words and its verdict: a person may mark it meanwhile), and the fingerprint last,
    so a run stopped halfway (the window closed) is simply run again. `progress(done)` is told after each batch
    (and may raise to stop). `refuse_above`: when more than this share of the first facts read would become
    private, nothing is written and RulesTooBroad says so (a phrase "the" in a clinic's file, applied by itself,
    could not be taken back: facts only ever become more private here)."""
    current = content.privacy_fingerprint
    if not force and current in judged_by(engine):
        return None
    judge, writer = _judging(content.privacy), busy.for_writing(engine)
    tables = [(table, "text") for table in _RECHECKED.values()] + [(_VISIT, "reason")]
    if refuse_above is not None:
        _refuse_too_broad(engine, tables, judge, refuse_above)
    became_private = done = 0
    logged_at, unlogged = 0.0, False
    for table, words in tables:
        after = 0
        while True:
            with engine.connect() as connection:
                query = sa.select(table).where(table.c.id > after).order_by(table.c.id).limit(BATCH)
                rows = connection.execute(query).mappings().all()
            if not rows:
                break
            after, done = rows[-1]["id"], done + len(rows)
            updates = [(row, values) for row in rows if (values := _new_values(table, row, words, judge)) is not None]
            if updates:
                with writer.begin() as connection:
                    for row, values in updates:
                        still = [table.c.id == row["id"], *(table.c[name] == row[name] for name in (words, *values))]
                        if connection.execute(sa.update(table).where(*still).values(**values)).rowcount:
                            became_private += not _was_private(row) and _is_private(values)
                    # Every open glance and prep card reads again, at most every few seconds (and at the end).
                    unlogged = True
                    if time.monotonic() - logged_at > LOG_EVERY_SECONDS:
                        changes.log_entry(connection, changes.Tally(kinds=set(RECHECKED_KINDS), everywhere=True))
                        logged_at, unlogged = time.monotonic(), False
            if progress is not None:
                progress(done)
    became_private += _name_lines_again(engine, writer, content.privacy)
    with writer.begin() as connection:
        stored = connection.execute(sa.select(_SETTING.c.value).where(_SETTING.c.key == FINGERPRINT_KEY)).scalar()
        kept = " ".join([current, *[f for f in (stored or "").split() if f != current]][:KEPT_FINGERPRINTS])
        if stored is None:
            connection.execute(sa.insert(_SETTING).values(key=FINGERPRINT_KEY, value=kept))
        else:
            connection.execute(sa.update(_SETTING).where(_SETTING.c.key == FINGERPRINT_KEY).values(value=kept))
        if unlogged:  # the last batches' changes, whatever the clock said
            changes.log_entry(connection, changes.Tally(kinds=set(RECHECKED_KINDS), everywhere=True))
        # With the fingerprint, in one transaction: facts only ever become more private here, and an auditor
        # asking why a note left the glance finds when, by which rules, and in whose name.
        facts = "1 stored fact" if became_private == 1 else f"{became_private} stored facts"
        forced = ", forced" if force else ""
        audit.log_on(connection, "privacy recheck", f"{facts} became private (rules {current}{forced})")
    return became_private


def _name_lines_again(engine, writer, rules: PrivacyRules) -> int:
    """Pronouns, the preferred name and the language show beside the name on every screen, where they hold no
    private word: what today's rules leave out of them at a registration, a schedule or an import is taken out of
    what was stored before those rules too (the field emptied, as an import leaves it). Returns how many patients'."""
    emptied, after = 0, 0
    while True:
        with engine.connect() as connection:
            query = sa.select(_PATIENT).where(_PATIENT.c.id > after).order_by(_PATIENT.c.id).limit(BATCH)
            rows = connection.execute(query).mappings().all()
        if not rows:
            return emptied
        after = rows[-1]["id"]
        updates = [(row, values) for row in rows if (values := _left_off_the_name_line(row, rules))]
        if updates:
            with writer.begin() as connection:
                for row, values in updates:
                    still = [_PATIENT.c.id == row["id"], *(_PATIENT.c[name] == row[name] for name in values)]
                    emptied += connection.execute(sa.update(_PATIENT).where(*still).values(**values)).rowcount
                changes.log_entry(connection, changes.Tally(kinds={"patient"}, everywhere=True))


def _left_off_the_name_line(row, rules: PrivacyRules) -> dict[str, str]:
    left_off = left_off_the_name_line(
        row["preferred_name"] or "",
        row["pronouns"] or "",
        row["preferred_language"] or "",
        lambda words: rules.judge(words, as_name=True).private,  # letters beside a name tell nothing
    )
    return dict.fromkeys(left_off, "")


def _refuse_too_broad(engine, tables, judge, share: float) -> None:
    """Judge the first batch of each table without writing: too many newly private facts is a rule too broad."""
    sampled = newly = 0
    for table, words in tables:
        with engine.connect() as connection:
            rows = connection.execute(sa.select(table).order_by(table.c.id).limit(BATCH)).mappings().all()
        for row in rows:
            values = _new_values(table, row, words, judge)
            sampled += not _was_private(row)
            newly += values is not None and not _was_private(row) and _is_private(values)
    if sampled >= MIN_SAMPLE and newly > share * sampled:
        raise RulesTooBroad(
            f"the updated privacy rules would make {newly} of the first {sampled} stored facts private: a phrase in "
            "the clinic's content file may be too broad; nothing was changed (`companion privacy recheck` applies "
            "them anyway)"
        )


def _was_private(row) -> bool:
    return bool(row.get("sensitive", row.get("reason_private")))


def _is_private(values: dict) -> bool:
    return bool(values.get("sensitive", values.get("reason_private")))


def _new_values(table, row, words: str, judge) -> dict | None:
    """The columns to write when today's verdict differs from the stored one, else None."""
    if words == "reason":
        verdict = judge(row["reason"]).keep(bool(row["reason_private"]), row["reason_category"])
        if verdict.private == bool(row["reason_private"]) and verdict.category == row["reason_category"]:
            return None
        return {"reason_private": verdict.private, "reason_category": verdict.category}
    verdict = judge(row["text"], row.get("topic") or "", row.get("code") or "").keep(
        bool(row["sensitive"]), row["private_category"], row["private_reason"]
    )
    if not _differs(verdict, row["sensitive"], row["private_category"], row["private_reason"]):
        return None
    return {"sensitive": verdict.private, "private_category": verdict.category, "private_reason": verdict.reason}
