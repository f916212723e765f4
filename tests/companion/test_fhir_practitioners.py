"""The practitioner of an imported Appointment or Encounter: matched to the clinic's clinician by identifier (the
NPI first), else by exact name, else added as a physician without a PIN; a visit is unassigned only when the
record names nobody. Also cancelled and missed visits, video visits, and an export that imports back to the same
clinician. Service level, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from companion.fhir.exporter import export_visit
from companion.fhir.importer import import_paths
from companion.services.auth import SignInRefused, set_pin, sign_in
from companion.storage.models import Clinician, Role, Visit, VisitMode, VisitStatus
from tests.companion.fhir_samples import (
    REAL_DATA,
    appointment,
    bundle,
    clinic_clock,  # noqa: F401  (fixture)
    dump,
    encounter,
    load,
    notes_of,
    observation,
    patient,
    patient_by_key,
    visits_of,
    write,
)

pytestmark = pytest.mark.usefixtures("clinic_clock")
NPI = "http://hl7.org/fhir/sid/us-npi"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"


def seen_by(*individuals: dict, eid: str = "e1", **extra) -> dict:
    """An Encounter whose participants are these references (each a dict, with its `type` codes if any)."""
    participants = []
    for individual in individuals:
        codes = individual.pop("codes", ())
        kind = {"type": [{"coding": [{"system": PARTICIPATION, "code": c} for c in codes]}]} if codes else {}
        participants.append(kind | {"individual": individual})
    return encounter(eid, participant=participants, **extra)


def practitioner(pid: str, given: str, family: str, npi: str | None = None, prefix: str = "Dr.") -> dict:
    resource = {
        "resourceType": "Practitioner",
        "id": pid,
        "name": [{"prefix": [prefix], "given": [given], "family": family}],
    }
    return resource | ({"identifier": [{"system": NPI, "value": npi}]} if npi else {})


def add_clinician(store, name: str, role: Role = Role.physician, identifier: str | None = None) -> int:
    with store.writing() as session:
        row = Clinician(name=name, role=role, identifier=identifier)
        session.add(row)
        session.commit()
        return row.id


def clinicians(store) -> list[tuple[str, Role, str | None]]:
    with store.session() as session:
        rows = session.exec(select(Clinician).order_by(Clinician.id))
        return [(row.name, row.role, row.identifier) for row in rows]


def the_visit(store, pid: str = "p1") -> Visit:
    [visit] = visits_of(store, patient_by_key(store, f"Patient/{pid}").id)
    return visit


def clinician_of(store, visit: Visit) -> Clinician | None:
    if visit.clinician_id is None:
        return None
    with store.session() as session:
        return session.get(Clinician, visit.clinician_id)


# matching ---------------------------------------------------------------------------------------------------------
def test_an_npi_match_beats_a_name_match(store, tmp_path):
    same_name = add_clinician(store, "Dr. Amara Okafor")
    by_npi = add_clinician(store, "Amara Okafor, MD", identifier=f"{NPI}|1234567893")
    named = {"reference": f"Practitioner?identifier={NPI}|1234567893", "display": "Dr. Amara Okafor"}

    report = load(store, tmp_path, patient("p1"), seen_by(named))

    assert the_visit(store).clinician_id == by_npi != same_name
    assert report.count("clinicians", "new") == 0 and len(clinicians(store)) == 2


def test_an_identifier_on_the_reference_itself_is_matched_too(store, tmp_path):
    by_npi = add_clinician(store, "Dr. Amara Okafor", identifier=f"{NPI}|1234567893")
    named = {"type": "Practitioner", "identifier": {"system": NPI, "value": "1234567893"}}

    load(store, tmp_path, patient("p1"), seen_by(named))

    assert the_visit(store).clinician_id == by_npi


def test_an_exact_name_matches_and_the_clinician_gets_the_records_identifier_but_keeps_their_name(store, tmp_path):
    okafor = add_clinician(store, "Dr. Amara Okafor")
    named = {"reference": "urn:uuid:d1", "display": "Dr. Amara Okafor"}
    data = bundle(patient("p1"), seen_by(named), practitioner("dr1", "Amara", "Okafor", npi="1234567893"))
    data["entry"][2]["fullUrl"] = "urn:uuid:d1"

    report = import_paths(store, [write(tmp_path, "b.json", data)]).result

    assert the_visit(store).clinician_id == okafor
    assert clinicians(store) == [("Dr. Amara Okafor", Role.physician, f"{NPI}|1234567893")]  # the NPI, not the id
    assert report.count("clinicians", "updated") == 1 and report.count("clinicians", "new") == 0


def test_another_name_is_someone_new(store, tmp_path):
    okafor = add_clinician(store, "Dr. Amara Okafor")

    load(store, tmp_path, patient("p1"), seen_by({"reference": "Practitioner/dr1", "display": "Dr. Amara Okoro"}))

    assert the_visit(store).clinician_id != okafor
    assert [name for name, _, _ in clinicians(store)] == ["Dr. Amara Okafor", "Dr. Amara Okoro"]


def test_a_namesake_with_another_npi_is_another_clinician_told_apart_by_it(store, tmp_path):
    first = add_clinician(store, "Dr. Ann Lee", identifier=f"{NPI}|1111111111")
    named = {"reference": f"Practitioner?identifier={NPI}|2222222222", "display": "Dr. Ann Lee"}

    load(store, tmp_path, patient("p1"), seen_by(named))
    load(store, tmp_path, patient("p1"), seen_by(named), name="again.json")

    visit = the_visit(store)
    assert visit.clinician_id != first
    assert clinicians(store)[1] == ("Dr. Ann Lee (NPI 2222222222)", Role.physician, f"{NPI}|2222222222")
    assert len(clinicians(store)) == 2


def test_a_namesake_written_in_capitals_is_told_apart_too(store, tmp_path):
    """ "DR. ANN LEE" beside "Dr. Ann Lee" reads as one person on the sign-in list (the app refuses such a name typed
    in; services.clinicians): an import tells the second apart by its NPI as for the same capitals."""
    add_clinician(store, "Dr. Ann Lee", identifier=f"{NPI}|1111111111")
    named = {"reference": f"Practitioner?identifier={NPI}|2222222222", "display": "DR. ANN LEE"}

    load(store, tmp_path, patient("p1"), seen_by(named))

    assert [name for name, _role, _key in clinicians(store)] == ["Dr. Ann Lee", "DR. ANN LEE (NPI 2222222222)"]


def test_a_new_practitioner_is_a_physician_without_a_pin_until_an_admin_sets_one(store, tmp_path):
    named = {"reference": f"Practitioner?identifier={NPI}|1234567893", "display": "Dr. Amara Okafor"}
    report = load(store, tmp_path, patient("p1"), seen_by(named))

    doctor = clinician_of(store, the_visit(store))
    assert (doctor.name, doctor.role, doctor.identifier, doctor.pin_hash) == (
        "Dr. Amara Okafor",
        Role.physician,
        f"{NPI}|1234567893",
        "",
    )
    assert report.count("clinicians", "new") == 1
    with pytest.raises(SignInRefused):
        sign_in(store, doctor.id, "4821")
    set_pin(store, doctor.id, "4821")
    assert sign_in(store, doctor.id, "4821").name == "Dr. Amara Okafor"
    before = dump(store)
    load(store, tmp_path, patient("p1"), seen_by(named), name="again.json")  # the PIN set here stays
    assert dump(store) == before and sign_in(store, doctor.id, "4821").name == "Dr. Amara Okafor"


def test_an_admin_account_is_never_a_visits_clinician(store, tmp_path):
    admin = add_clinician(store, "Dr. Amara Okafor", role=Role.admin, identifier=f"{NPI}|1234567893")
    by_name = {"reference": "Practitioner/dr1", "display": "Dr. Amara Okafor"}
    by_npi = {"reference": f"Practitioner?identifier={NPI}|1234567893", "display": "Dr. Amara Okafor"}
    load(store, tmp_path, patient("p1"), seen_by(by_name), seen_by(by_npi, eid="e2", start="2025-03-15T09:00:00Z"))
    before = dump(store)

    load(store, tmp_path, patient("p1"), seen_by(by_name), seen_by(by_npi, eid="e2", start="2025-03-15T09:00:00Z"))

    assert dump(store) == before  # found again: not added twice
    visits = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert admin not in {v.clinician_id for v in visits}
    assert len({v.clinician_id for v in visits}) == 1  # the same person by name and by NPI
    assert clinicians(store) == [
        ("Dr. Amara Okafor", Role.admin, f"{NPI}|1234567893"),
        ("Dr. Amara Okafor (imported)", Role.physician, "Practitioner/dr1"),
    ]


# which participant ------------------------------------------------------------------------------------------------
def test_the_primary_performer_or_attender_is_the_practitioner_else_the_first_one_named(store, tmp_path):
    nurse = {"reference": "Practitioner/n1", "display": "Sam Rivera, RN", "codes": ["PART"]}
    doctor = {"reference": "Practitioner/dr1", "display": "Dr. Amara Okafor", "codes": ["PPRF"]}
    family = {"reference": "RelatedPerson/r1", "display": "Jo Lima"}
    second = {"reference": "Practitioner/dr2", "display": "Dr. Ben Ito"}
    third = {"reference": "Practitioner/dr3", "display": "Dr. Cy Moss"}
    load(
        store,
        tmp_path,
        patient("p1"),
        patient("p2"),
        seen_by(family, nurse, doctor),
        seen_by(family, second, third, eid="e2", subject={"reference": "Patient/p2"}),
    )

    assert clinician_of(store, the_visit(store, "p1")).name == "Dr. Amara Okafor"
    assert clinician_of(store, the_visit(store, "p2")).name == "Dr. Ben Ito"


def test_an_appointments_attender_who_declined_is_not_its_practitioner(store, tmp_path):
    booked = appointment(
        participant=[
            {"actor": {"reference": "Patient/p1"}, "status": "accepted"},
            {"actor": {"reference": "Practitioner/dr1", "display": "Dr. Amara Okafor"}, "status": "declined"},
            {"actor": {"reference": "Practitioner/dr2", "display": "Dr. Ben Ito"}, "status": "accepted"},
        ]
    )
    load(store, tmp_path, patient("p1"), booked)

    assert clinician_of(store, the_visit(store)).name == "Dr. Ben Ito"


def test_a_practitioner_role_stands_for_its_practitioner(store, tmp_path):
    role = {
        "resourceType": "PractitionerRole",
        "id": "r1",
        "practitioner": {"reference": "Practitioner/dr1", "display": "Dr. Amara Okafor"},
    }
    booked = appointment(
        participant=[
            {"actor": {"reference": "Patient/p1"}, "status": "accepted"},
            {
                "actor": {
                    "reference": "PractitionerRole/r1",
                    "identifier": {"system": "urn:example:roles", "value": "r1"},  # the role's, not the doctor's
                    "display": "General practice",
                },
                "status": "accepted",
            },
        ]
    )
    load(store, tmp_path, patient("p1"), booked, role, practitioner("dr1", "Amara", "Okafor", npi="1234567893"))

    doctor = clinician_of(store, the_visit(store))
    assert (doctor.name, doctor.identifier) == ("Dr. Amara Okafor", f"{NPI}|1234567893")


# files in any order -----------------------------------------------------------------------------------------------
def test_a_practitioner_arriving_after_the_encounter_completes_the_clinicians_name(store, tmp_path):
    load(store, tmp_path, patient("p1"), seen_by({"reference": "Practitioner/dr9"}), name="1-visits.json")
    unnamed = clinician_of(store, the_visit(store))
    assert (unnamed.name, unnamed.identifier) == ("Name not recorded (Practitioner/dr9)", "Practitioner/dr9")

    report = load(store, tmp_path, practitioner("dr9", "Amara", "Okafor", npi="1234567893"), name="2-people.json")

    doctor = clinician_of(store, the_visit(store))
    assert (doctor.id, doctor.name, doctor.role) == (unnamed.id, "Dr. Amara Okafor", Role.physician)
    assert doctor.identifier == "Practitioner/dr9"  # kept: later files that name them so still find them
    assert report.count("clinicians", "updated") == 1
    before = dump(store)
    for name in ("1-visits.json", "2-people.json"):
        assert import_paths(store, [tmp_path / name]).result.changes() == []
    assert dump(store) == before


def test_a_practitioner_never_renames_a_clinician_who_has_a_name_and_adds_nobody(store, tmp_path):
    okafor = add_clinician(store, "Dr. Amara Okafor", identifier=f"{NPI}|1234567893")
    stranger = practitioner("dr2", "Ben", "Ito", npi="9999999999")

    report = load(store, tmp_path, practitioner("dr1", "Amara", "Okafor-Reyes", npi="1234567893"), stranger)

    assert clinicians(store) == [("Dr. Amara Okafor", Role.physician, f"{NPI}|1234567893")]
    assert report.count("clinicians", "unchanged") == 1
    assert report.unused["Practitioner (no visit names them)"] == 1
    # Visits that name them by NPI alone, or by their name, land on that clinician.
    by_npi = seen_by({"reference": f"Practitioner?identifier={NPI}|1234567893"})
    by_name = seen_by({"reference": "Practitioner/dr1", "display": "Dr. Amara Okafor"}, eid="e2")
    load(store, tmp_path, patient("p1"), by_npi, by_name, name="visits.json")
    assert {v.clinician_id for v in visits_of(store, patient_by_key(store, "Patient/p1").id)} == {okafor}


# unassigned -------------------------------------------------------------------------------------------------------
def test_a_visit_is_unassigned_only_when_the_record_names_nobody(store, tmp_path):
    place = {"reference": "Location/room1", "display": "Room 1"}
    family = {"reference": "RelatedPerson/r1", "display": "Jo Lima"}
    load(store, tmp_path, patient("p1"), seen_by(place, family), appointment("a1", "p1", start="2025-03-20T09:00:00Z"))

    visits = visits_of(store, patient_by_key(store, "Patient/p1").id)
    assert [v.clinician_id for v in visits] == [None, None]
    assert clinicians(store) == []


def test_a_reimport_assigns_an_unassigned_visit_but_never_unassigns_one(store, tmp_path):
    load(store, tmp_path, patient("p1"), encounter("e1"))
    assert the_visit(store).clinician_id is None
    load(store, tmp_path, seen_by({"reference": "Practitioner/dr1", "display": "Dr. Amara Okafor"}), name="2.json")
    doctor = the_visit(store).clinician_id
    assert clinician_of(store, the_visit(store)).name == "Dr. Amara Okafor"

    load(store, tmp_path, encounter("e1", status="arrived"), name="3.json")  # names nobody: the doctor stays
    assert (the_visit(store).clinician_id, the_visit(store).status) == (doctor, VisitStatus.roomed)

    nurse_chose = add_clinician(store, "Dr. Ben Ito")
    with store.writing() as session:  # a nurse assigns another clinician in the app
        row = session.get(Visit, the_visit(store).id)
        row.clinician_id = nurse_chose
        session.add(row)
        session.commit()
    load(store, tmp_path, encounter("e1", status="arrived"), name="3.json")
    assert the_visit(store).clinician_id == nurse_chose


# status and mode --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("resource", "status"),
    [
        (appointment(status="cancelled"), VisitStatus.cancelled),
        (appointment(status="noshow"), VisitStatus.no_show),
        (encounter(status="cancelled"), VisitStatus.cancelled),
    ],
)
def test_cancelled_and_missed_visits(store, tmp_path, resource, status):
    load(store, tmp_path, patient("p1"), resource)

    assert the_visit(store).status is status


def test_an_import_closes_a_visit_only_while_it_is_not_done_and_never_reopens_it(store, tmp_path):
    def booked_and(aid: str, *later: str) -> VisitStatus:
        for n, status in enumerate(later):
            load(store, tmp_path, patient(f"p-{aid}"), appointment(aid, f"p-{aid}", status), name=f"{aid}-{n}.json")
        return the_visit(store, f"p-{aid}").status

    assert booked_and("a1", "booked", "fulfilled", "cancelled") is VisitStatus.done  # a done visit stays done
    assert booked_and("a2", "checked-in", "noshow") is VisitStatus.no_show  # not done: closed
    assert booked_and("a3", "noshow", "booked") is VisitStatus.no_show  # an older file does not reopen it
    assert booked_and("a4", "cancelled", "noshow") is VisitStatus.cancelled  # the first of the two stands
    assert booked_and("a5", "cancelled", "fulfilled") is VisitStatus.done  # it took place after all


def test_an_in_progress_visit_is_still_closed_by_a_cancellation(store, tmp_path):
    load(store, tmp_path, patient("p1"), encounter("e1", status="in-progress"))
    load(store, tmp_path, encounter("e1", status="cancelled"), name="later.json")

    assert the_visit(store).status is VisitStatus.cancelled


def test_a_virtual_encounter_or_a_telehealth_appointment_is_a_video_visit(store, tmp_path):
    virtual = encounter("e1", **{"class": {"system": ACT_CODE, "code": "VR", "display": "virtual"}})
    telehealth = appointment(
        "a2", "p2", serviceType=[{"coding": [{"system": "http://snomed.info/sct", "code": "448337001"}]}]
    )
    r5_style = appointment(
        "a3",
        "p3",
        extension=[
            {
                "url": "http://hl7.org/fhir/5.0/StructureDefinition/extension-Appointment.virtualService",
                "extension": [{"url": "addressUrl", "valueUrl": "https://meet.example/x"}],
            }
        ],
    )
    load(store, tmp_path, patient("p1"), patient("p2"), patient("p3"), patient("p4"), virtual, telehealth, r5_style)
    load(store, tmp_path, appointment("a4", "p4"), name="plain.json")

    assert [the_visit(store, p).mode for p in ("p1", "p2", "p3", "p4")] == [VisitMode.video] * 3 + [VisitMode.in_person]
    # An Appointment that does not say leaves the mode alone; an Encounter's class says, either way.
    load(store, tmp_path, appointment("a2", "p2"), name="again.json")
    assert the_visit(store, "p2").mode is VisitMode.video
    load(store, tmp_path, encounter("e1"), name="in-person.json")
    assert the_visit(store, "p1").mode is VisitMode.in_person


# export and back --------------------------------------------------------------------------------------------------
def export_file(store, tmp_path, visit: Visit):
    return write(tmp_path, f"export-{visit.id}.json", json.loads(json.dumps(export_visit(store, visit.id))))


def test_an_export_imports_back_to_the_same_clinician_status_and_mode(store, empty_store, tmp_path):
    named = {"reference": f"Practitioner?identifier={NPI}|1234567893", "display": "Dr. Amara Okafor"}
    virtual = {"class": {"system": ACT_CODE, "code": "VR"}}
    load(store, tmp_path, patient("p1"), seen_by(named, **virtual), patient("p2"), appointment("a2", "p2", "noshow"))
    doctor = clinician_of(store, the_visit(store))
    before = dump(store)

    path = export_file(store, tmp_path, the_visit(store))
    assert import_paths(store, [path]).result.count("clinicians", "new") == 0
    assert clinician_of(store, the_visit(store)).id == doctor.id and dump(store)["clinician"] == before["clinician"]

    import_paths(empty_store, [path, export_file(store, tmp_path, the_visit(store, "p2"))])
    with empty_store.session() as session:
        visits = session.exec(select(Visit).order_by(Visit.id)).all()
        copied = session.get(Clinician, visits[0].clinician_id)
    assert (copied.name, copied.identifier, copied.role) == ("Dr. Amara Okafor", f"{NPI}|1234567893", Role.physician)
    assert (visits[0].mode, visits[0].status) == (VisitMode.video, VisitStatus.scheduled)
    assert (visits[1].clinician_id, visits[1].status, visits[1].mode) == (
        None,
        VisitStatus.no_show,
        VisitMode.in_person,
    )


def test_an_unnamed_clinician_exports_without_a_name_and_one_known_by_reference_keeps_it(store, empty_store, tmp_path):
    load(store, tmp_path, patient("p1"), seen_by({"reference": "Practitioner/dr9"}))

    data = export_visit(store, the_visit(store).id)
    [doctor] = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Practitioner"]
    assert doctor == {"resourceType": "Practitioner", "id": "dr9"}
    import_paths(empty_store, [write(tmp_path, "out.json", data)])
    assert clinicians(empty_store) == [("Name not recorded (Practitioner/dr9)", Role.physician, "Practitioner/dr9")]


# the shared real data ---------------------------------------------------------------------------------------------
@pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"the shared FHIR examples are not at {REAL_DATA}")
def test_in_the_real_data_every_visit_whose_record_names_a_practitioner_is_assigned(store):
    named: dict[str, str] = {}  # visit key: the display of the practitioner its record names
    for path in REAL_DATA.rglob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data.get("entry", []) if data["resourceType"] == "Bundle" else [{"resource": data}]
        in_file = {e.get("fullUrl") for e in entries if e["resource"]["resourceType"].startswith("Practitioner")}
        for resource in (e["resource"] for e in entries):
            if resource["resourceType"] not in ("Encounter", "Appointment") or "id" not in resource:
                continue
            people = [p.get("individual") or p.get("actor") or {} for p in resource.get("participant", [])]
            for person in people:
                reference = person.get("reference", "")
                if reference.startswith("Practitioner") or reference in in_file - {None}:
                    named[f"{resource['resourceType']}/{resource['id']}"] = person.get("display", "")

    import_paths(store, [REAL_DATA])

    with store.session() as session:
        visits = session.exec(select(Visit)).all()
        names = {c.id: c.name for c in session.exec(select(Clinician))}
    from_records = [v for v in visits if v.source_key in named]
    # Every record that names a practitioner is a visit, but the Da Vinci Encounter (it carries no time); and every
    # visit here comes from such a record: 59 of Bethanie's, 60 of Lucien's, 6 of Gustavo's, Amy's appointment.
    assert (len(named), len(from_records), len(visits)) == (127, 126, 126)
    unassigned = [v.source_key for v in from_records if v.clinician_id is None]
    assert unassigned == []
    # The name is the one the reference shows (the Practitioner resource's own, where the file holds it).
    assert all(names[v.clinician_id] == named[v.source_key] for v in from_records if named[v.source_key])
    assert set(names.values()) == {
        "Dr Adam Careful",
        "Dr. Marion502 Gutkowski940",
        "Dr. Demetrice140 Crooks415",
        "Dr. Melvin857 Torp761",
        "Dr. Willena258 Oberbrunner298",
        "Dr. Aubrey Corkery",
    }


@pytest.mark.parametrize(
    "written", ["Okafor, Amara, MD", "AMARA OKAFOR MD FACP", "Dra. Amara Okafor", "dr. amara okafor"]
)
def test_a_clinician_written_another_way_is_the_same_clinician(store, tmp_path, written):
    """An Epic schedule names "Okafor, Amara, MD": her own Today list shows the visit, and no second Okafor
    (without a PIN) joins the sign-in list."""
    okafor = add_clinician(store, "Dr. Amara Okafor")

    report = load(store, tmp_path, patient("p1"), seen_by({"reference": "Practitioner/dr9", "display": written}))

    assert the_visit(store).clinician_id == okafor
    assert report.count("clinicians", "new") == 0 and len(clinicians(store)) == 1


@pytest.mark.parametrize("written", ["Robert Smith Jr", "Smith, Robert, Jr", "Smith Robert"])
def test_a_son_or_a_name_in_another_order_is_not_the_clinic_s_clinician(store, tmp_path, written):
    smith = add_clinician(store, "Dr. Robert Smith Sr")

    load(store, tmp_path, patient("p1"), seen_by({"reference": "Practitioner/dr9", "display": written}))

    assert the_visit(store).clinician_id != smith


def test_namesakes_written_another_way_are_not_guessed_between(store, tmp_path):
    add_clinician(store, "Dr. Ann Lee", identifier=f"{NPI}|1234567893")
    add_clinician(store, "Dr. Ann Lee (NPI 1111111112)", identifier=f"{NPI}|1111111112")

    load(store, tmp_path, patient("p1"), seen_by({"reference": "Practitioner/dr9", "display": "Lee, Ann, MD"}))

    assert len(clinicians(store)) == 3  # a new clinician, to be told apart by an admin, rather than a guess


# names shown where others see them --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Dr. Kim, Methadone Maintenance Program", "Dr. Kim"),
        ("Dr. Lee (HIV clinic)", "Dr. Lee"),
        ("Dr. Robert Gay", "Dr. Robert Gay"),  # a name alone is never judged
        ("Dr. Robert Gay (PCP)", "Dr. Robert Gay"),
        ("Gay, Robert, MD", "Gay, Robert"),  # the name kept whole; only what follows it is dropped
        ("Okafor, Amara, MD", "Okafor, Amara, MD"),
        ("Dr Kim Methadone Clinic", "Dr Kim"),  # a remark without a bracket or a comma
        ("Dr Mary Ann Gay", "Dr Mary Ann Gay"),
    ],
)
def test_what_a_record_adds_to_a_clinicians_name_that_is_private_never_names_them(store, tmp_path, written, shown):
    """The clinician's name shows on the day's list, its header and the take-home handout."""
    load(store, tmp_path, patient("p1"), seen_by({"reference": "Practitioner/d1", "display": written}))

    assert clinician_of(store, the_visit(store)).name == shown


def test_an_authors_name_with_a_private_program_in_it_shows_without_it(store, tmp_path):
    housing = observation("o1", "71802-3", "Lives with sister", "2025-01-01T00:00:00Z")
    housing["performer"] = [{"display": "(HIV/AIDS program) case manager"}]
    job = observation("o2", "11341-5", "Works nights", "2025-01-02T00:00:00Z")
    job["performer"] = [{"display": "Counselor, Gender-affirming care clinic"}]
    load(store, tmp_path, patient("p1"), housing, job)

    stored = notes_of(store, patient_by_key(store, "Patient/p1").id)
    authors = {note.text.split(": ")[-1]: note.author for note in stored}
    assert authors == {"Lives with sister": "Health record (imported)", "Works nights": "Counselor"}
