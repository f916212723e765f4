"""What round 42's two probes (880 notes by writers who had not seen the rules; privacy_sets/set200.toml and
set201.toml) found. The first: private
notes the rules missed, each read by its kind of wording now (thoughts named with hyphens, guns taken to a relative's,
"what he did" told only as that, a belt used on someone, a shelter, AA in its own words, a month in residential
treatment, two lines on a test, "en estado" for pregnant, Spanish words as they are often typed, predictive testing),
and everyday notes the rules hid (a class taught at a jail, a ski trip across the border, vaccines a registry lacks,
the HPV shot among others, sober for Lent, steps counted from a car park, a resolution relapsed, a team's season, a
job at a psychiatric hospital; and a sentence served, "two years in the county jail", that an exception for a
prison officer's years had shown), each shown now beside the private use of the same words. The second (children,
older adults, a relative's private fact, text-message style, Spanish from many countries): a parent who hits the
children, a pension taken from an elder, a relative's drinking, pills that keep disappearing, inhalants, PrEP or the
pill beside a teenager's secrecy, HIV and VIH as mistyped, a boy who says he is a girl, a couple called friends at
home, a husband who picks him up, picked up by ICE, parole as typed, "cayó preso", autism (held private as ADHD is);
and, shown: a package "deported", a kitten's scratches, a cold sore, a sibling who hits the baby."""

from __future__ import annotations

import pytest

from companion.content import load_content


@pytest.fixture(scope="module")
def rules():
    return load_content().privacy


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Portal: also the not-wanting-to-wake-up thoughts came back this week", "suicide_self_harm"),
        ("says the not wanting to wake up feelings are worse at night", "suicide_self_harm"),
        ("thoughts of not waking up most mornings since the funeral", "suicide_self_harm"),
        ("Wife took his hunting rifles to her brother's after what happened in the garage", "suicide_self_harm"),
        ("son moved her guns over to a neighbor's last week, she agreed", "suicide_self_harm"),
        ("I moved out after what my boyfriend did with the belt, send mail to my sister's", "abuse_violence"),
        ("left after what her husband did, staying with a friend", "abuse_violence"),
        ("stepdad hit the kids with his belt, CPS aware", "abuse_violence"),
        ("Estoy en un refugio con mis hijos porque mi ex me golpió", "abuse_violence"),
        ("su pareja la golpio el sábado", "abuse_violence"),
        ("pt is a friend of Bill W., 3 yrs, home group meets Tues/Thurs", "substance_use"),
        ("Friends of Bill meet in the church basement, he goes daily", "substance_use"),
        ("just back from 28 days at a treatment place in Arizona", "substance_use"),
        ("spent a month in a residential treatment center last spring", "substance_use"),
        ("I took two tests this morning and both had 2 lines!!", "reproductive"),
        ("the stick showed two faint lines, wants a blood test", "reproductive"),
        ("Le quería contar que estoy en estado otra vez, como 6 semanas", "reproductive"),
        ("quedó en estado y el novio no sabe", "reproductive"),
        ("está en estado de 3 meses", "reproductive"),
        ("pte embrazada de 10 semanas, no quiere que el esposo sepa", "reproductive"),
        ("dice que está embarasada", "reproductive"),
        ("Lynch syndrom confirmed, colonoscopy q1yr now", "genetic"),
        ("Dad had HD, pt declined predictive testing for now", "genetic"),
        ("wants presymptomatic genetic testing for Huntington's", "genetic"),
        ("ya les conté a mis papás que soy lesviana", "sexuality_gender"),
        ("mom says stepdad hits the kids when he gets angry", "abuse_violence"),
        ("her boyfriend slapped her last week, she stayed at her mom's", "abuse_violence"),
        ("grandson cashes her social security check and doesn't buy groceries", "abuse_violence"),
        ("la nieta le coge la plata de la pension a la doña y no le compra comida", "abuse_violence"),
        ("her husband's drinking is the reason she's here", "substance_use"),
        ("nana's pain pills keep disappearing, family thinks the grandson is taking them", "substance_use"),
        ("el nene de 15 anda oliendo pega con los amigos", "substance_use"),
        ("16yo asking about prep, does NOT want mom to know", "hiv"),
        ("newly dx hvi last week pls dont say anything in front of my sister", "hiv"),
        ("dx de BIH hace un mes, todavia no le dice a nadie en la casa", "hiv"),
        ("wants to restart the pill but her parents are very religious", "reproductive"),
        ("esta en cinta de 3 meses pero no le ha dicho a nadie", "reproductive"),
        ("grandma worried about her grandson who now says he's a girl", "sexuality_gender"),
        ("la novia la acompaña pero en la casa dicen que son amigas", "sexuality_gender"),
        ("su esposo Jorge viene a recogerlo a las 3", "sexuality_gender"),
        ("el nene es homosesual y en la escuela le hacen bullying", "sexuality_gender"),
        ("husband was picked up by ice at work last month", "legal_immigration"),
        ("grandson is on parol and living with her now", "legal_immigration"),
        ("mi hijo cayo preso el sabado, ando que no duermo tbh", "legal_immigration"),
        ("son was diagnosed with autism at 3, mom prefers not to discuss it in front of him", "mental_health"),
        ("el nene es autista, lo diagnosticaron el año pasado", "mental_health"),
        ("she is on the spectrum, sensory issues with loud rooms", "mental_health"),
    ],
)
def test_a_private_note_the_probe_wrote_is_kept_private(rules, text, category):
    verdict = rules.judge(text)
    assert verdict.private and verdict.category == category, text


@pytest.mark.parametrize(
    ("everyday", "private"),
    [
        ("Teaches GED classes at the county jail on Mondays, needs flu shot", "spent two years in the county jail"),
        ("volunteers running art workshops at the state prison", "her son is in the state prison"),
        ("retired guard, 30 years at the county jail", "5 years at the county jail for possession"),
        ("Drove back from a ski trip in Banff, crossed the border Sunday", "crossed the border on foot without papers"),
        ("Vaccines undocumented in the state registry, has the paper card at home", "undocumented, afraid of ICE"),
        ("needs proof of her childhood shots, including the hep B and HPV ones", "HPV positive on the last pap"),
        ("sober for the whole Lent challenge, no soda, no sweets", "sober for 3 months, goes to meetings"),
        ('"Those 12 steps from the parking lot to the door are too many"', "working the 12 steps with a sponsor"),
        ("Relapsed on her New Year's resolution to walk daily", "relapsed on heroin last month"),
        ("Says he's \"depressed\" about the Cowboys' season, all jokes", "depressed since the divorce, on sertraline"),
        ("Trabaja limpiando en el hospital psiquiátrico del estado", "estuvo internado en el hospital psiquiátrico"),
        ("Ando en estado de shock con los precios del súper", "estoy en estado, no le digan a mi mamá"),
        ("su abuelo está en estado grave en el hospital", None),
        ("her test strips got sent back to the warehouse, basically deported lol", "her brother was deported in May"),
        ("jaja el amazon le deporto el paquete de vuelta a la bodega", "a su esposo lo deportaron el mes pasado"),
        ("the marks on his arms are from the new kitten", "the marks on her arms are from cutting"),
        ("le salio herpes en el labio con la fiebre", "le salio herpes genital otra vez"),
        ("Big brother keeps hitting the baby when he's jealous, any tips?", "dad hits the kids with a belt"),
        ("He drinks more water since the heat wave", "worried about her son's drinking, he hides bottles"),
        ("runs the autism awareness walk at her school every April", "her son was diagnosed with autism"),
        ("proud girl dad, three daughters under ten", None),
        ("Creen que somos amigas desde la primaria, y sí, lo somos.", None),
        ("keeps her pills in the pill organizer by the sink", None),
        ("the bridge is 12 steps up from the car park", None),
    ],
)
def test_an_everyday_note_the_probe_wrote_is_shown_and_the_private_use_is_not(rules, everyday, private):
    assert not rules.judge(everyday).private, everyday
    if private is not None:
        assert rules.judge(private).private, private


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("<b>estoy en estado</b> 🤰 no le digan a mi mamá", True),
        ("pt is a friend of \u200fBill W.\u200f 🙏, home group Tues", True),
        ("&lt;p&gt;16yo asking about PrEP, does NOT want mom to know&lt;/p&gt;", True),
        ("grandson is on PAROL 😬", True),
        ("mom says stepdad hits the kids 😢 when he gets angry", True),
        ("<i>the marks on his arms are from the new kitten</i> 🐱", False),
        ("\u200fAndo en estado de shock\u200f con los precios 😂", False),
    ],
)
def test_the_new_readings_hold_through_markup_emoji_and_right_to_left_marks(rules, text, private):
    """Pasted from a portal (tags, escaped tags), typed on a phone (emoji), or copied beside right-to-left text
    (direction marks): the words are read as they are, and the verdict is the plain text's."""
    assert rules.judge(text).private is private, text
