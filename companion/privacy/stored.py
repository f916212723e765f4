"""Stored facts judged again with today's rules: by the migration that brought categories in, and whenever the rules
change (the rules' fingerprint is kept in the settings): a clinic's own words, or an update of the app whose rules
catch more. A fact only ever becomes more private here: what a person marked, or an earlier rule caught, stays
private. After an update this runs by itself, in the background of the window and before a command's own work
(companion.services.rules_update), so what the new rules hide is hidden in what was stored before them too."""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from companion.privacy.phrases import READING
from companion.privacy.rules import PrivacyRules, Verdict
from companion.storage import busy, changes

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


def fingerprint(spec: dict) -> str:
    """A short digest of the privacy files as read (shipped and the clinic's own), and of how a text is read: a
    change to either judges stored facts again."""
    return hashlib.sha256(
        json.dumps({"spec": spec, "reading": READING}, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]


def judge_stored(connection: Connection, rules: PrivacyRules) -> int:
    """Judge every stored fact and visit reason again; returns how many became private or changed category."""
    changed = 0
    for table in _FACTS.values():
        for row in connection.execute(sa.select(table)).mappings().all():
            code = row.get("code") or ""
            system, _, value = code.rpartition("|")
            verdict = rules.judge(
                row["text"], topic=row.get("topic") or "", codes=[(system, value)] if value else []
            ).keep(bool(row["sensitive"]), row["private_category"], row["private_reason"])
            if _differs(verdict, row["sensitive"], row["private_category"], row["private_reason"]):
                values = {"sensitive": verdict.private, "private_category": verdict.category}
                values["private_reason"] = verdict.reason
                connection.execute(sa.update(table).where(table.c.id == row["id"]).values(**values))
                changed += 1
    for row in connection.execute(sa.select(_VISIT)).mappings().all():
        verdict = rules.judge(row["reason"]).keep(bool(row["reason_private"]), row["reason_category"])
        if verdict.private != bool(row["reason_private"]) or verdict.category != row["reason_category"]:
            connection.execute(
                sa.update(_VISIT)
                .where(_VISIT.c.id == row["id"])
                .values(reason_private=verdict.private, reason_category=verdict.category)
            )
            changed += 1
    return changed


def _differs(verdict: Verdict, private, category: str, reason: str) -> bool:
    return (verdict.private, verdict.category, verdict.reason) != (bool(private), category, reason)


def stored_fingerprint(engine) -> str | None:
    setting = sa.table("setting", sa.column("key"), sa.column("value"))
    with engine.connect() as connection:
        return connection.execute(sa.select(setting.c.value).where(setting.c.key == FINGERPRINT_KEY)).scalar()


def recheck_stored(engine, content, force: bool = False, progress=None) -> int | None:
    """Judge stored facts again when the rules changed since they were last judged (or when forced); returns how
    many changed, None when the rules had not changed. In batches: each fact's new verdict is written only if its
    words are still those judged, and the fingerprint last, so a run stopped halfway (the window closed) is
    simply run again. `progress(done, total)` is told after each batch."""
    current = fingerprint(content.privacy_spec)
    if not force and stored_fingerprint(engine) == current:
        return None
    rules, writer = content.privacy, busy.for_writing(engine)
    verdicts: dict[tuple, Verdict] = {}  # the same words (a visit reason, a common need) are judged once

    def judge(text: str, topic: str = "", code: str = "") -> Verdict:
        key = (text, topic, code)
        if key not in verdicts:
            system, _, value = code.rpartition("|")
            if len(verdicts) > 50_000:
                verdicts.clear()
            verdicts[key] = rules.judge(text, topic=topic, codes=[(system, value)] if value else [])
        return verdicts[key]

    tables = [(table, "text") for table in _RECHECKED.values()] + [(_VISIT, "reason")]
    with engine.connect() as connection:
        total = sum(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t, _ in tables)
    changed = done = 0
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
                        still = (table.c.id == row["id"], table.c[words] == row[words])  # unless edited meanwhile
                        changed += connection.execute(sa.update(table).where(*still).values(**values)).rowcount
                    # every open glance and prep card reads again
                    changes.log_entry(connection, changes.Tally(kinds=set(RECHECKED_KINDS), everywhere=True))
            if progress is not None:
                progress(done, total)
    setting = sa.table("setting", sa.column("key"), sa.column("value"))
    with writer.begin() as connection:
        if connection.execute(sa.select(setting.c.value).where(setting.c.key == FINGERPRINT_KEY)).first() is None:
            connection.execute(sa.insert(setting).values(key=FINGERPRINT_KEY, value=current))
        else:
            connection.execute(sa.update(setting).where(setting.c.key == FINGERPRINT_KEY).values(value=current))
    return changed


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
