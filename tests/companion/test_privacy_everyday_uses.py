"""An everyday use of a category's word ("Coca-Cola", "HPV vaccine") is taken out before the rest of a text is read:
the words on either side of it do not join into a private phrase, and the use is recognised in capitals too."""

from __future__ import annotations

import pytest

from companion.content import load_content
from companion.privacy.lexicon import Lexicon, build_category


@pytest.mark.parametrize(
    ("everyday", "private"),
    [
        ("toma Coca-Cola todos los días", "toma todos los días"),  # "toma ... todos los días": daily drinking
        ("HPV vaccine #2 given, age 12", "HPV positive on her last pap"),
        ("vacuna del VPH, segunda dosis", "tiene VPH"),  # "@VPH" is read with its capitals
        ("court date Tues for a speeding ticket", "court date for the custody case"),
        ("meal prep for the week", "Refilled PrEP for 90 days"),  # the capitals tell them apart, as written
        ("prep time for the dinner", "PrEP time: takes it at 8 am"),
        ("f/u with PCP this week", "smoked PCP before the party"),  # the primary care provider, not the drug
        ("meta: comer más verduras y menos arroz", "fuma meta los fines de semana"),  # a goal, not the drug
        ("got high marks in school", "got high before school"),
        ("there was a pregnant pause", "she is pregnant again"),
        ("termination letter from work came", "had a termination last month"),
        ("talking about it reopens old wounds", "reopens old wounds on purpose when she feels numb"),
        ("keep the cookies at my sister's so I'm not tempted", "keep my guns at my brother's so I'm not tempted"),
        ("PPD read 0 mm, negative", "PPD since the baby came"),  # a TB skin test; postpartum depression
        ("ID clinic for osteomyelitis", "ID clinic every 3 months"),
        ("Hydroxyzine 25 at night for itchy hives", "Hydroxyzine for her panic attacks"),
        ("Lamotrigine 100 bid for seizures", "Lamotrigine for bipolar"),
        ("Fell on ice, bruise on L hip", "smokes ice every weekend"),
        ("Bicillin L-A IM given for strep throat", "Bicillin for syphilis, partner notified"),
        ("HPV 2 of 3 today", "HPV 18 positive, colpo next"),  # a dose; a type found on a pap
        ("llegó en estado de shock tras el choque", "está en estado, de unos cuatro meses"),
        ("MS relapse, starting steroids", "relapsed on fentanyl last week"),
        ("methadone 10 mg for cancer pain", "methadone clinic every morning"),
        ("mate de coca para el soroche", "coca para la fiesta del sábado"),
        ("ICE contact: her son Tomas", "afraid ICE will take him at work"),
        ("pagó la fianza del piso nuevo", "pagó la fianza para que saliera de la cárcel"),
        ("Drops OD twice daily", "OD'd on heroin last month"),  # the right eye; an overdose
        ("Sober driver present for sedation", "sober 2 years from alcohol"),
        ("Volunteers on a crisis hotline", "called the crisis hotline last night"),
        ("GAD antibodies positive, new type 1 diabetes", "GAD, started sertraline"),
        ("PID 77120 verified at check-in", "PID, on doxycycline"),  # a patient id; pelvic inflammatory disease
        ("Se quemó con la plancha del pelo", "se quema a propósito cuando se enoja"),
        ("Me mató el dolor de espalda toda la semana", "dice que se quiere matar"),
        # Set 24's phrases, each beside the everyday sentence a review found it took at first
        ("We walked to the bridge and sat by the river for a picnic", "drove out to the bridge and sat there an hour"),
        ("Meds I've been saving money on with GoodRx", "the pills I've been saving up, I don't trust myself"),
        ("Ganas de tirarme a la piscina con este calor", "cuando paso por el puente me dan ganas de tirarme"),
        ("La tos no se me para", "no se me para, quiero algo para eso"),
        ("Nombre legal: María López", "prefiere que le digan Valentina, nombre legal Juan"),
        ("Did 3 years at county hospital as a nurse", "did 5 yrs at state, released in Jan"),
        ("En la tienda me cobran el cheque", "la nuera le saca la plata de la jubilacion"),
        ("Hesitant to answer, prefers her husband in the room to interpret", "hesitant to answer w/ partner in room"),
        ("Took an EPT, negative", "EPT given for partner"),  # a pregnancy test; expedited partner therapy
        ("my knees have taken a lot of abuse from 30 yrs of roofing", "has taken a lot of abuse from her husband"),
        ("Mr. Lee's daughter's husband drives him to dialysis", "Mr. Lee's husband drives him to dialysis"),
        ("hearing voices through the wall, neighbors are loud", "hearing voices telling her to stop eating"),
        ("would rather die than eat that cafeteria food again", "she would rather die than go on like this"),
        ("Tiene un corte en la planta del pie por pisar un vidrio", "tiene corte el lunes por la custodia"),  # a cut
    ],
)
def test_an_everyday_use_stays_visible_and_the_private_use_does_not(everyday, private):
    rules = load_content().privacy
    assert not rules.judge(everyday).private
    assert rules.judge(private).private


@pytest.mark.parametrize(
    ("everyday", "private"),
    [
        ("burned herself on the stove", "Mom says she cut herself on the thighs again last week"),
        ("cut my finger on a can lid", "cut her hand with a razor blade on purpose"),
        ("hurt himself lifting boxes at work", "hurt herself in the bathroom with a blade"),
        ("don't want to live with my son anymore", "I don't want to live with this pain anymore"),
        ("no quiero vivir en esa casa", "no quiero vivir con este dolor"),
        ("Plan B for childcare is my sister", "Needs Plan B for this weekend"),
        ("se pega con todo, es muy pegajoso", "me pega con todo lo que encuentra"),
    ],
)
def test_an_everyday_use_never_takes_the_private_statement_that_shares_its_words(everyday, private):
    """An everyday use names what makes it everyday (the stove, the son, the childcare): one that ended in an open
    "on the", "with" or "for" took "cut herself on the thighs" and "want to live with this pain" with it."""
    rules = load_content().privacy
    assert not rules.judge(everyday).private
    assert rules.judge(private).private


def test_only_an_english_words_silent_e_gives_way_to_ing():
    """A clinic's English "relapse*" also reads "relapsing"; its Spanish "rompe*" ("se rompe la piel") is no
    "romping" in an English note."""
    spec = {
        "label": "Clinic words",
        "languages": {"en": {"strong": ["relapse*"]}, "es": {"strong": ["rompe*"]}},
    }
    lexicon = Lexicon([build_category("clinic", spec)])
    assert lexicon.category_of("relapsing again") is not None
    assert lexicon.category_of("se rompe la piel") is not None
    assert lexicon.category_of("kids romping in the yard all day") is None


def test_a_category_named_outright_comes_before_one_read_from_a_weak_word_beside_a_cue():
    """The category labels an export and sorts the reveal: "tengo el virus ... mis pastillas todos los días" is about
    HIV, though "pastillas todos los días" reads as a drug's too; a safety category still comes first."""
    spec = {"label": "Clinic words", "languages": {"en": {"weak": ["pills"], "cues": ["every day"]}}}
    named = {"label": "Named", "languages": {"en": {"strong": ["the virus"]}}}
    safety = {"label": "Safety", "safety": True, "languages": {"en": {"weak": ["cuts"], "cues": ["to cope"]}}}
    lexicon = Lexicon([build_category("drugs", spec), build_category("hiv", named), build_category("self", safety)])
    assert lexicon.category_of("had the virus since 2015, takes my pills every day").key == "hiv"
    assert lexicon.category_of("takes pills every day").key == "drugs"
    assert lexicon.category_of("cuts to cope, had the virus since 2015").key == "self"

    rules = load_content().privacy
    assert rules.judge("tengo el virus desde 2015, me tomo mis pastillas todos los días").category == "hiv"


def test_a_private_phrase_that_holds_an_everyday_use_whole_and_says_more_is_read_through_it():
    """An everyday use is taken out where it is all the text says ("hit with a bat" at softball); a private phrase
    that holds it whole and goes on to say who did it is not lost with it. A phrase that only overlaps one ("smoked
    pot" in "smoked pot roast") is still not read through it."""
    spec = {
        "label": "Clinic",
        "languages": {
            "en": {
                "strong": ["hit with a bat by (her|his) (boyfriend|husband)", "smoked pot"],
                "except": ["hit with a bat", "pot roast"],
            }
        },
    }
    lexicon = Lexicon([build_category("clinic", spec)])
    assert lexicon.category_of("got hit with a bat at softball") is None
    assert lexicon.category_of("got hit with a bat by her boyfriend") is not None
    assert lexicon.category_of("smoked pot roast for the party") is None
    assert lexicon.category_of("smoked pot before the party") is not None

    rules = load_content().privacy
    assert not rules.judge("got hit with a bat at softball, swelling L forearm").private
    assert rules.judge("got hit with a bat by her boyfriend, swelling L forearm").category == "abuse_violence"
