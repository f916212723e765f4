"""A plain-text summary of the visit, fit to paste into a record: no markup, no sensitive facts by default,
no private reflection, ever."""

from __future__ import annotations

from companion.read.left_out import PrivateFilter
from companion.read.models import PriorityView
from companion.services import emotions, encounter, priorities, visits
from companion.storage.read_scope import in_one_scope
from companion.storage.store import Store

STATE_WORDS = {"addressed": "addressed", "deferred": "deferred to next visit", "open": "still open"}
LEFT_OUT = "(sensitive items left out: {n})"
# Agenda items the care team added (the clinician on the glance, the nurse while rooming), under headings of their own.
AGENDA_OF_OTHERS = {"clinician": "Also on the clinician's agenda:", "nurse": "Raised by the nurse:"}


@in_one_scope
def build_summary(store: Store, visit_id: int, include_sensitive: bool = False) -> str:
    """Today's priorities and what became of each (the patient's own, then the clinician's and the nurse's),
    agreed next steps, cues explored with NURSE steps used."""
    row = visits.visit_row(store, visit_id)
    talk = encounter.conversation(store, visit_id)
    private = PrivateFilter(include_sensitive)
    keep = private.keep
    shown_reason = private.reason(row)
    heading = f"Visit {row.scheduled_at:%Y-%m-%d %H:%M}" + (f": {shown_reason}" if shown_reason else "")
    mode = " (video)" if row.video else ""
    lines = [heading + mode, f"Clinician: {row.clinician_name or 'not assigned'}"]
    agenda = [p for p in priorities.agenda(store, visit_id) if keep(p)]
    lines += ["", "Priorities, in the patient's words:"]
    lines += [f"- {_priority_line(p)}" for p in agenda if p.source == "patient"] or ["- none recorded"]
    for source, heading in AGENDA_OF_OTHERS.items():  # the care team's own items are never put in their mouth
        theirs = [f"- {_priority_line(p)}" for p in agenda if p.source == source]
        lines += ["", heading, *theirs] if theirs else []
    if talk.agenda_agreed:
        lines.append("Agenda agreed with the patient.")

    steps = [s for s in encounter.next_steps(store, visit_id) if keep(s)]
    lines += ["", "Agreed next steps:"]
    lines += [f"- {s.text}" for s in steps] or ["- none recorded"]

    cues = [c for c in emotions.cues_for_visit(store, visit_id) if keep(c)]
    if cues:
        lines += ["", "Emotional cues explored:"]
        for cue in cues:
            used = ", ".join(s.label for s in cue.steps if s.ticked) or "none"
            lines.append(f"- {cue.text} (NURSE steps used: {used})")

    closing = []
    if talk.teach_back:
        closing.append("Teach-back done: the patient explained the plan in their own words.")
    if talk.ask_tell_ask:
        closing.append("Ask-Tell-Ask used.")
    if closing:
        lines += ["", *closing]
    if private.left_out:
        lines += ["", LEFT_OUT.format(n=private.left_out)]
    return "\n".join(lines) + "\n"


def _priority_line(priority: PriorityView) -> str:
    scope = " (lasting)" if priority.scope == "lasting" else ""
    return f"{priority.text}{scope}: {STATE_WORDS.get(priority.state, priority.state)}"
