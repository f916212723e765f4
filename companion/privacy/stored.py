"""Stored facts judged again with today's rules: by the migration that brought categories in, and whenever a clinic
changes its rules (the rules' fingerprint is kept in the settings). A fact only ever becomes more private here: what
a person marked, or an earlier rule caught, stays private."""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from companion.privacy.phrases import READING
from companion.privacy.rules import PrivacyRules, Verdict
from companion.storage import busy, changes

FINGERPRINT_KEY = "privacy_rules"
RECHECKED_KINDS = ("priority", "note", "next_step", "visit")

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


def recheck_stored(engine, content, force: bool = False) -> int | None:
    """Judge stored facts again when the clinic's rules changed since they were last judged (or when forced);
    returns how many changed, None when the rules had not changed. One transaction: all or nothing."""
    current = fingerprint(content.privacy_spec)
    setting = sa.table("setting", sa.column("key"), sa.column("value"))
    with busy.for_writing(engine).begin() as connection:
        stored = connection.execute(sa.select(setting.c.value).where(setting.c.key == FINGERPRINT_KEY)).scalar()
        if stored == current and not force:
            return None
        changed = judge_stored(connection, content.privacy)
        if stored is None:
            connection.execute(sa.insert(setting).values(key=FINGERPRINT_KEY, value=current))
        else:
            connection.execute(sa.update(setting).where(setting.c.key == FINGERPRINT_KEY).values(value=current))
        if changed:  # every open glance and prep card reads again
            changes.log_entry(connection, changes.Tally(kinds=set(RECHECKED_KINDS), everywhere=True))
    return changed
