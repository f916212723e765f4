"""A large clinic database made in bulk: by default 10,000 invented patients and 200,000 notes (seconds); the
full benchmark's clinic is ten times that (100,000 and 2,000,000, about two minutes), inserted with SQLAlchemy
Core (executemany) in batches, on the app's own schema (open_engine creates and stamps it).

Every patient has an earlier visit; a few have a visit today, so the Today view looks like a real day.
The words are a small vocabulary of ordinary sentences; nothing resembles a real person.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from companion.content import load_content
from companion.privacy.stored import fresh_settings
from companion.storage.database import open_engine
from companion.storage.models import Clinician, ContextNote, NurseTick, Patient, Priority, Visit
from companion.storage.paths import data_dir

SOCIAL = (
    "Walks the dog every morning",
    "Cares for a parent at home",
    "Works night shifts at the port",
    "Sings in a choir on Thursdays",
    "Grandchildren visit at weekends",
    "Recently moved to a new flat",
)
PRACTICAL = ("Hard of hearing on the left", "Needs large print", "Uses a walker", "Prefers morning visits")
EMOTION = ("Worried about the results", "Tearful talking about work", "Frustrated with waiting times")
PRIORITIES = ("My knee hurts on the stairs", "Refill of my pills", "I feel tired all day", "Sleep is poor")
TODAY_VISITS = 20
BATCH = 100_000


@dataclass(frozen=True)
class Clinic:
    path: str
    physician_id: int
    visit_ids: tuple[int, ...]  # earlier visits, each with notes: what the glance switches between
    today_visit_ids: tuple[int, ...]


def build_clinic(path: str, patients: int = 10_000, notes: int = 200_000, seed: int = 7) -> Clinic:
    """Create the database at `path` (a new file) and fill it."""
    rng = random.Random(seed)
    # Made as the app makes a database: judged by today's privacy rules, so no window judges it all again at start.
    content = load_content(data_dir() / "content")
    engine = open_engine(path, fresh_settings=lambda: fresh_settings(content))
    now = datetime.now(UTC)
    today = date.today()
    with engine.begin() as connection:
        connection.execute(
            insert(Clinician.__table__),
            [
                {"id": 1, "name": "Dr. Bench Physician", "role": "physician", "reflection_enabled": False},
                {"id": 2, "name": "Bench Nurse", "role": "nurse", "reflection_enabled": False},
            ],
        )
        connection.execute(
            insert(Patient.__table__),
            [
                {
                    "id": i,
                    "recorded_name": f"Patient {i:05d}",
                    "preferred_name": f"P{i:05d}",
                    "pronouns": rng.choice(("she/her", "he/him", "they/them", "")),
                    "preferred_language": rng.choice(("English", "Spanish", "Arabic", "Vietnamese")),
                    "interpreter_needed": rng.random() < 0.1,
                }
                for i in range(1, patients + 1)
            ],
        )
        visits = []
        for i in range(1, patients + 1):
            when = datetime.combine(today - timedelta(days=rng.randint(1, 365)), time(8 + rng.randint(0, 9), 0))
            visits.append(_visit(i, i, when, "done"))
        for n in range(TODAY_VISITS):
            when = datetime.combine(today, time(8 + n // 2, 30 * (n % 2)))
            visits.append(_visit(patients + 1 + n, rng.randint(1, patients), when, "scheduled"))
        connection.execute(insert(Visit.__table__), visits)
        patient_of = {v["id"]: v["patient_id"] for v in visits}
        visit_ids = list(patient_of)
        emotions = 0
        for first in range(1, notes + 1, BATCH):  # in batches: two million rows at once would take gigabytes
            rows = [_note(n, rng, visit_ids, patient_of, now) for n in range(first, min(first + BATCH, notes + 1))]
            connection.execute(insert(ContextNote.__table__), rows)
            felt = [r["id"] for r in rows if r["kind"] == "emotion"]
            ticked = felt[(-emotions) % 3 :: 3]  # every third emotion note across batches has a step ticked
            emotions += len(felt)
            if ticked:
                connection.execute(
                    insert(NurseTick.__table__), [{"note_id": i, "step": "name", "ticked_at": now} for i in ticked]
                )
        connection.execute(
            insert(Priority.__table__),
            [
                {
                    "patient_id": patient_of[v],
                    "visit_id": v,
                    "text": rng.choice(PRIORITIES),
                    "rank": rank,
                    "scope": "lasting" if rank == 0 and v % 4 == 0 else "today",
                    "source": "patient",
                    "state": "open",
                    "sensitive": False,
                    "created_at": now,
                    "retraction_reason": "",
                }
                for v in visit_ids
                for rank in range(3)
            ],
        )
    engine.dispose()  # no ANALYZE: a clinic's database gets none either, so neither does this one
    earlier = tuple(rng.sample(range(1, patients + 1), min(patients, 400)))
    return Clinic(path, 1, earlier, tuple(range(patients + 1, patients + 1 + TODAY_VISITS)))


def _note(n: int, rng: random.Random, visit_ids: list[int], patient_of: dict[int, int], now: datetime) -> dict:
    visit_id = rng.choice(visit_ids)
    kind = rng.choices(("social", "practical", "emotion"), weights=(6, 2, 2))[0]
    lasting = kind != "emotion" and rng.random() < 0.3
    words = {"social": SOCIAL, "practical": PRACTICAL, "emotion": EMOTION}[kind]
    at = now - timedelta(minutes=rng.randint(0, 525_600))
    return {
        "id": n,
        "patient_id": patient_of[visit_id],
        "visit_id": None if lasting else visit_id,
        "kind": kind,
        "topic": "",
        "code": "",
        "text": f"{rng.choice(words)} ({n})",
        "sensitive": False,
        "author": "Bench Nurse",
        "created_at": at,
        "updated_at": at,
        "retraction_reason": "",
    }


def _visit(visit_id: int, patient_id: int, when: datetime, status: str) -> dict:
    return {
        "id": visit_id,
        "patient_id": patient_id,
        "clinician_id": 1,
        "scheduled_at": when,
        "reason": "Follow-up",
        "status": status,
    }


def build_in_child(path: str, env: dict[str, str], patients: int, notes: int) -> Clinic:
    """Build in a child process, so that this process stays small: the measured children are started from
    it, and a large parent would slow every start."""
    import subprocess

    from benchmarks.child import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bulk_data", path, str(patients), str(notes)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    fields = json.loads(result.stdout)
    return Clinic(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})


if __name__ == "__main__":
    print(json.dumps(asdict(build_clinic(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))))
