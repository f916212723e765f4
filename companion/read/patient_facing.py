"""What a patient may see of their own visit, in their language: what they said matters today, the agenda agreed,
the next steps. Built from the glance (companion.read.briefing), which already leaves every private fact out; no
clinician note, story item or emotion cue is carried here at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from companion.read.briefing import build_glance
from companion.read.models import PriorityView
from companion.read.patient_language import SOURCE_LANGUAGE, PatientLanguage, patient_languages
from companion.services.encounter import NextStepView
from companion.storage.paths import data_dir
from companion.storage.store import Store

# A record names a language in English ("Spanish") or by code ("es"); the patient's words are kept by code.
ENGLISH_NAMES = {
    "english": "en", "spanish": "es", "french": "fr", "portuguese": "pt", "vietnamese": "vi", "chinese": "zh",
    "arabic": "ar", "russian": "ru", "tagalog": "tl", "korean": "ko", "haitian creole": "ht", "somali": "so",
}  # fmt: skip


def clinic_content_dir() -> Path:
    """Where a clinic adds languages and rewords the patient's words (<data folder>/content/patient/)."""
    return data_dir() / "content"


def languages() -> dict[str, PatientLanguage]:
    """The shipped languages and any a clinic adds under <data folder>/content/patient/."""
    return patient_languages(clinic_content_dir())


def language_for(recorded: str, available: dict[str, PatientLanguage] | None = None) -> PatientLanguage:
    """The patient's own language when its words exist, else English."""
    available = available if available is not None else languages()
    wanted = recorded.strip().lower()
    for code, language in available.items():
        if wanted in (code, language.name.lower()) or ENGLISH_NAMES.get(wanted) == code:
            return language
        if wanted.split("-")[0].split("_")[0] == code:  # "es-MX", "pt_BR": the language of a regional code
            return language
    return available[SOURCE_LANGUAGE]


@dataclass(frozen=True)
class PatientFacing:
    visit_id: int
    patient_id: int
    language: PatientLanguage
    said: tuple[PriorityView, ...]  # in their own words (source patient), in the agreed order
    agenda: tuple[PriorityView, ...]  # everything to talk about, once agreed
    agenda_agreed: bool
    next_steps: tuple[NextStepView, ...]


def build_patient_facing(store: Store, visit_id: int) -> PatientFacing:
    glance = build_glance(store, visit_id)
    return PatientFacing(
        visit_id=visit_id,
        patient_id=glance.patient.id,
        language=language_for(glance.patient.language),
        said=tuple(p for p in glance.agenda if p.source == "patient"),
        agenda=glance.agenda,
        agenda_agreed=bool(glance.talk and glance.talk.agenda_agreed),
        next_steps=glance.next_steps,
    )
