"""A person's name as it is typed (a patient's recorded name, a clinician's, a note's author) shows on every screen:
one that carries a private remark ("Jane Roe (HIV clinic pt)", "Dr. Kim, methadone program") is refused rather
than shortened behind the typist's back, who can put the remark in a note, where it stays private. Imported
names are shortened instead (companion.fhir.writer): nobody is there to ask."""

from __future__ import annotations

from companion.errors import CompanionError
from companion.storage.store import Store
from companion.text import MAX_SHORT, clean_text


def shown_name(store: Store, text: str, what: str) -> str:
    """`text` cleaned as any short text; refused when the privacy rules would leave words of it out. The message
    names the field, never the words (others may see the screen, and the terminal's history keeps them)."""
    name = clean_text(text, what, MAX_SHORT)
    if store.content.privacy.public_name(name) != name:
        raise CompanionError(
            f"{what[0].upper()}{what[1:]} would show private words on every screen; write them in a note instead, "
            "where they stay private"
        )
    return name
