"""A large FHIR bulk export made in seconds, to measure the import's peak memory: Observations of a few invented
patients in one NDJSON file of a chosen size (social-history answers the app keeps, vital signs it does not),
and their Patients in a small file of their own, as a FHIR bulk data export writes one file per type."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

PATIENTS = (("Ines", "Moreau"), ("Tomas", "Berg"), ("Amaka", "Eze"), ("Lior", "Katz"), ("Mei", "Tan"))
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
SYNTHEA_IDS = "https://github.com/synthetichealth/synthea"  # how Synthea identifies its patients and visits
NPI = "http://hl7.org/fhir/sid/us-npi"
# (code, question, answers): the social history the app keeps as one item per code, the latest value winning.
SOCIAL = (
    ("72166-2", "Tobacco smoking status", ("Never smoked tobacco (finding)", "Ex-smoker (finding)")),
    ("71802-3", "Housing status", ("I have housing", "I do not have housing (staying with others)")),
    ("11341-5", "History of Occupation", ("Teacher", "Bus driver", "Retired")),
    ("93035-4", "Employment status - current", ("Full-time work", "Part-time work", "Unemployed")),
)
# (code, display, unit, low, high): vital signs, which the app does not use (it still reads each one).
VITALS = (
    ("8302-2", "Body Height", "cm", 150.0, 190.0),
    ("29463-7", "Body Weight", "kg", 50.0, 110.0),
    ("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", 18.0, 35.0),
    ("8867-4", "Heart rate", "/min", 55.0, 100.0),
    ("9279-1", "Respiratory rate", "/min", 12.0, 20.0),
)
SOCIAL_SHARE = 0.25  # of the Observations


def write_export(folder: Path, megabytes: float, seed: int = 11) -> tuple[Path, Path]:
    """Patient.ndjson and Observation.ndjson in `folder`, the latter about `megabytes` MB; returns both paths."""
    rng = random.Random(seed)
    ids = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in PATIENTS]
    patients = folder / "Patient.ndjson"
    with patients.open("w", encoding="utf-8") as out:
        for pid, (given, family) in zip(ids, PATIENTS, strict=True):
            out.write(json.dumps(_patient(pid, given, family)) + "\n")
    observations = folder / "Observation.ndjson"
    target = int(megabytes * 1_000_000)
    when = datetime(2000, 1, 3, 9, 0, tzinfo=UTC)
    written = 0
    with observations.open("w", encoding="utf-8") as out:
        while written < target:
            when += timedelta(minutes=rng.randint(30, 600))
            pid = rng.choice(ids)
            made = _social(rng, pid, when) if rng.random() < SOCIAL_SHARE else _vital(rng, pid, when)
            line = json.dumps(made, separators=(",", ":")) + "\n"
            out.write(line)
            written += len(line.encode())
    return patients, observations


def write_first_bundle(path: Path, seed: int = 3) -> Path:
    """A small Bundle of one invented patient (a visit with its doctor, an answer the app keeps, vital signs and a
    claim it does not): what a process imports first, so that a measured import finds the code loaded as it would
    be in the window after its first import. Its patient and visit carry identifiers and its visit names a doctor
    new to the clinic, as every record a clinic imports does: the queries that find and add them are then prepared
    (SQLAlchemy compiles a statement once per database) before the clock starts, like the FHIR models."""
    rng = random.Random(seed)
    pid = str(uuid.UUID(int=rng.getrandbits(128)))
    when = datetime(2001, 5, 7, 9, 0, tzinfo=UTC)
    vid = str(uuid.UUID(int=rng.getrandbits(128)))
    visit = {
        "resourceType": "Encounter",
        "id": vid,
        "identifier": [{"system": SYNTHEA_IDS, "value": vid}],
        "participant": [
            {"individual": {"reference": f"Practitioner?identifier={NPI}|9999900001", "display": "Dr. Lena Park"}}
        ],
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "type": [{"text": "Follow-up visit"}],
        "subject": {"reference": f"Patient/{pid}"},
        "period": {"start": when.isoformat(), "end": (when + timedelta(minutes=20)).isoformat()},
    }
    claim = {"resourceType": "Claim", "id": str(uuid.UUID(int=rng.getrandbits(128))), "status": "active"}
    resources = [_patient(pid, "Noor", "Haddad"), visit, _social(rng, pid, when), _vital(rng, pid, when), claim]
    path.write_text(
        json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]})
    )
    return path


def _patient(pid: str, given: str, family: str) -> dict:
    return {
        "resourceType": "Patient",
        "id": pid,
        "identifier": [{"system": SYNTHEA_IDS, "value": pid}],
        "name": [{"use": "official", "given": [given], "family": family}],
        "gender": "unknown",
        "birthDate": "1970-01-01",
    }


def _common(rng: random.Random, pid: str, when: datetime, category: str) -> dict:
    stamp = when.isoformat()
    return {
        "resourceType": "Observation",
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "meta": {"profile": [f"http://hl7.org/fhir/us/core/StructureDefinition/us-core-{category}"]},
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": category, "display": category}]}],
        "subject": {"reference": f"Patient/{pid}"},
        "encounter": {"reference": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}"},
        "effectiveDateTime": stamp,
        "issued": stamp,
    }


def _social(rng: random.Random, pid: str, when: datetime) -> dict:
    code, question, answers = rng.choice(SOCIAL)
    answer = answers[0] if rng.random() < 0.8 else rng.choice(answers)  # mostly the same, now and then not
    return _common(rng, pid, when, "social-history") | {
        "code": {"coding": [{"system": LOINC, "code": code, "display": question}], "text": question},
        "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "0", "display": answer}], "text": answer},
    }


def _vital(rng: random.Random, pid: str, when: datetime) -> dict:
    code, display, unit, low, high = rng.choice(VITALS)
    return _common(rng, pid, when, "vital-signs") | {
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}], "text": display},
        "valueQuantity": {
            "value": round(rng.uniform(low, high), 1),
            "unit": unit,
            "system": "http://unitsofmeasure.org",
            "code": unit,
        },
    }
