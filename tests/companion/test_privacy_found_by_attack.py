"""Wording a tester used to get private facts onto the glance (the fifth round of attack, and Flags in a health
system's export), each read as private now; and the everyday texts that share their words, still shown."""

from __future__ import annotations

import pytest

from companion.content import load_content


@pytest.fixture(scope="module")
def rules():
    return load_content().privacy


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I might take all my pills", "suicide_self_harm"),
        ("wants to kms", "suicide_self_harm"),
        ("thinking about sewer slide", "suicide_self_harm"),
        ("wishes she could just disappear", "suicide_self_harm"),
        ("my uncle touched me as a kid", "abuse_violence"),
        ("groomed online by an older man", "abuse_violence"),
        ("was Baker Acted last spring", "mental_health"),
        ("sectioned under the MHA in 2019", "mental_health"),
        ("trades sex for rent", "sexuality_gender"),
        ("benzo withdrawal last month", "substance_use"),
        ("U=U, on Biktarvy", "hiv"),
        ("Safety plan: do not share address with husband", "abuse_violence"),  # Flags from an EHR's export
        ("Do not release information to spouse", "abuse_violence"),
        ("Foster care: DCFS caseworker must attend", "abuse_violence"),
        # The seventh probe of vendors' records: a fear in Spanish's subjunctive, service lines as visit reasons.
        ("Tengo miedo de que mi esposo me pegue otra vez", "abuse_violence"),
        ("Temo que me golpee otra vez", "abuse_violence"),
        ("Afraid he will hurt me again", "abuse_violence"),
        ("Sometimes I think it'd be better not to wake up", "suicide_self_harm"),
        ("OB Intake", "reproductive"),
        ("Family Planning", "reproductive"),
        ("Gender Health", "sexuality_gender"),
        ("IOP program, Tuesdays", "mental_health"),
        ("Halfway house on Elm St", "legal_immigration"),
        # The eighth probe: visit types and behavioural flags as vendors word them.
        ("Psychotherapy, 60 minutes", "mental_health"),
        ("Psicoterapia de grupo", "mental_health"),
        ("Dual diagnosis", "mental_health"),
        ("Elopement risk", "mental_health"),
        ("Violent behavior - security escort required", "mental_health"),
        ("Drug-seeking behavior; check PDMP before prescribing", "substance_use"),
        ("Safety plan on file", "suicide_self_harm"),
        ("Crisis plan on file", "suicide_self_harm"),
        ("New OB visit", "reproductive"),
        ("Title X visit", "reproductive"),
        ("Early refill of oxycodone again", "substance_use"),
        # The ninth round: a word list's "unalive*" dropped its e before -ing, and wording its stems missed.
        ("been thinking about unaliving myself", "suicide_self_harm"),
        ("un-alive myself", "suicide_self_harm"),
        ("told him to kys", "suicide_self_harm"),
        ("says there is no point living since the divorce", "suicide_self_harm"),
        ("wouldn't mind not waking up, she says", "suicide_self_harm"),
        ("deadnaming her at work", "sexuality_gender"),
        ("boozing every night", "substance_use"),
        # The twelfth round: a word split by one space or a line break, letters between other marks, in brackets,
        # of Armenian or upside down, a letter doubled; and words its lists lacked.
        ("thoughts of sui cide lately", "suicide_self_harm"),
        ("sui\ncide", "suicide_self_harm"),
        ("sսiсidе thoughts every night", "suicide_self_harm"),  # Armenian ս beside Cyrillic с and е
        ("s/u/i/c/i/d/e", "suicide_self_harm"),
        ("s~u~i~c~i~d~e", "suicide_self_harm"),
        ("c u t t i n g", "suicide_self_harm"),  # a word of the safety lists spelled out is meant in that sense
        ("⒮⒰⒤⒞⒤⒟⒠ thoughts", "suicide_self_harm"),
        ("ⓢⓤⓘⓒⓘⓓⓔ thoughts", "suicide_self_harm"),
        ("🇸🇺🇮🇨🇮🇩🇪 thoughts", "suicide_self_harm"),
        ("ɥıʌ", "hiv"),
        ("KYS", "suicide_self_harm"),
        ("suiciidal since march", "suicide_self_harm"),
        ("preggers again", "reproductive"),
        ("mi estatus migratorio me tiene con miedo", "legal_immigration"),
        ("crystal m", "substance_use"),
        # HRT alone, as patients write it, is gender-affirming hormones. HRT for menopause is shown (below): it is
        # everyday care of an older woman, no fact about gender, and the note says what it is for.
        ("on HRT", "sexuality_gender"),
        ("started transitioning last year", "sexuality_gender"),
        ("scared of going home to him", "abuse_violence"),  # the fear of a partner a screening asks about
        ("afraid to go home to my boyfriend tonight", "abuse_violence"),
        ("relapsing again", "substance_use"),
        # Stop 55's misses: controlled medicines from outside a prescription, "the virus" kept from the family.
        ("Buys sleeping pills sin receta at the mercado", "substance_use"),
        ("Gets tramadol from across the border", "substance_use"),
        ("Brings back tramadol from Mexico because it's cheaper", "substance_use"),
        ("Gets his pills from a guy at work", "substance_use"),
        ("My aunties can never know about the virus", "hiv"),
        ("He has the virus, please don't tell his mother", "hiv"),
        # Beside the exceptions for taking one's own medicines: someone else's, or with alcohol, stays private.
        ("takes her sister's pills daily", "substance_use"),
        ("takes her pills with vodka", "substance_use"),
        ("back on the pills again", "substance_use"),
        ("Otra vez compra pastillas en la calle", "substance_use"),
        # Round 29: the visit itself kept from a partner, who may be in the room when the glance is read.
        ("Scared her boyfriend will find out she came here", "abuse_violence"),
        ("Afraid her husband will find out about the visit", "abuse_violence"),
        ("Doesn't want her husband to know she came today", "abuse_violence"),
        ("Husband doesn't know she's here, do not call the house", "abuse_violence"),
        ("Don't leave a message at home, her husband listens", "abuse_violence"),
        ("Worried her ex will show up at the clinic", "abuse_violence"),
        ("Staying at a shelter for women", "abuse_violence"),
        ("Tiene miedo de que su esposo se entere que vino", "abuse_violence"),
        ("No quiere que su marido sepa que vino", "abuse_violence"),
        ("Su esposo no sabe que vino hoy", "abuse_violence"),
        ("No dejar mensaje en casa, su esposo escucha", "abuse_violence"),
        # Huntington's disease however it is written; a person or a place of that name is not.
        ("Mother has Huntington's", "genetic"),
        ("Mrs. Huntington has Huntington's disease", "genetic"),
        ("Su papá tiene Huntington", "genetic"),
        # Eating restricted on purpose, in the words people use for it.
        ("I haven't eaten in three days on purpose", "mental_health"),
        ("Not eating on purpose to lose weight", "mental_health"),
        ("She's been starving herself", "mental_health"),
        ("Counts every calorie and runs until she faints", "mental_health"),
        ("No como a propósito para bajar de peso", "mental_health"),
        ("Dejó de comer para estar más flaca", "mental_health"),
        # The burden of being alive in other verbs than "better off".
        ("They'd manage fine without me", "suicide_self_harm"),
        ("The world would go on without me", "suicide_self_harm"),
        ("Se las arreglarían sin mí", "suicide_self_harm"),
        ("Mi esposo podría vivir sin mí", "suicide_self_harm"),
        ("I've been having really dark thoughts", "mental_health"),
        ("I've been gambling away our rent money", "mental_health"),
        # Needles shared, drinking to stop withdrawal, a neighbour's sleeping pills.
        ("I share needles sometimes", "substance_use"),
        ("I get the shakes if I don't drink in the morning", "substance_use"),
        ("Drinks in the morning to stop the shakes", "substance_use"),
        ("Takes sleeping pills her neighbor gives her", "substance_use"),
        ("Estoy tomando pastillas para dormir que me da mi vecina", "substance_use"),
        ("I'm worried I caught something from my ex", "sti"),
        ("I had unprotected sex last week", "sti"),
        ("I'm on T now", "sexuality_gender"),
        # Set 106's misses, by kind: what is kept from whoever is in the room.
        ("he pensado en quitarme de en medio", "suicide_self_harm"),
        ("I cut if I mess up and eat too much", "suicide_self_harm"),
        ("only gives me my pills when I sign the checks", "abuse_violence"),
        ("Me estoy tomando los tranquilizantes de mi madre", "substance_use"),
        ("salí reactivo en la prueba rápida", "hiv"),
        ("please call my cell, my mom doesn't know my status", "hiv"),
        ("Mi esposa no sabe que también salgo con hombres", "sexuality_gender"),
        ("requests we not disclose to grandmother that she has a girlfriend", "sexuality_gender"),
        ("he'd throw me out if he finds out I'm into guys", "sexuality_gender"),
        ("Please don't say Depo in front of him", "reproductive"),
        ("My husband doesn't know I'm on the shot", "reproductive"),
        ("Tengo el permiso de residencia caducado", "legal_immigration"),
        # Sets 107 and 108's misses, by kind: priorities typed on the tablet, and Spanish of every learner.
        ("i dont really see the point in making it to christmas", "suicide_self_harm"),
        ("a veces pienso q mejor me duermo y ya no despierto nunca", "suicide_self_harm"),
        ("ya no voy a ser un problema para nadie", "suicide_self_harm"),
        ("Mi amigo dice el quiere matar el mismo", "suicide_self_harm"),
        ("my wrists are healing from the razor thing", "suicide_self_harm"),
        ("las quemaditas del brazo me las hice yo con el encendedor", "suicide_self_harm"),
        ("me quemo con el lighter cuando me siento mal", "suicide_self_harm"),
        ("Yo hago cortes en mi pierna cuando yo estoy triste", "suicide_self_harm"),
        ("bruised ribs. i fell. (he said to say i fell)", "abuse_violence"),
        ("i dont want to go home tonight, he gets bad when he drinks", "abuse_violence"),
        ("wrist hurts where my boyfriend grabbed it", "abuse_violence"),
        ("lo del ojo morado no fue la puerta, fue el", "abuse_violence"),
        ("mi tío le toca a mi hija cuando la cuida", "abuse_violence"),
        ("me inyecto desde hace unos meses y se me infectó el brazo", "substance_use"),
        ("Mi hijo anda bien pegado al cristal", "substance_use"),
        ("found a pipa de vidrio in his room", "substance_use"),
        ("Mi ex me acaba de decir que él es positivo", "hiv"),
        ("burning when i pee and some discharge after a new guy", "sti"),
        ("I think I caught something from that guy, I got a sore on my private", "sti"),
        ("quiero empezar la transición", "sexuality_gender"),
        ("mi hija ella dice ella gusta mujeres, no hombres", "sexuality_gender"),
        ("bleeding after the pills from the clinic last week", "reproductive"),
        ("Doctor, I am embarrassed, eight weeks, my husband doesn't know yet", "reproductive"),
        ("Me hice la prueba y salió positiva, pero no lo quiero tener", "reproductive"),
        ("Pt takes the pill en secreto because husband wants more kids", "reproductive"),
        ("me dijeron que tengo una mutación en un gen", "genetic"),
        ("mi abogado dice que necesito el examen medico para lo del asilo", "legal_immigration"),
        ("ocd is so bad i washed my hands raw, cant stop", "mental_health"),
        ("desde el accidente tengo pesadillas y no salgo de la casa", "mental_health"),
        ("mi esposa tiene tristeza mucho, no habla, solo durmiendo desde bebe nacer", "mental_health"),
    ],
)
def test_wording_an_attacker_used_is_private(rules, text, category):
    verdict = rules.judge(text)

    assert verdict.private and verdict.category == category


@pytest.mark.parametrize(
    "text",
    ["ran 5 kms this morning", "PSA undetectable at 6 months post-op", "bipolar cautery for the skin tag",
     "fills his pill organizer every Sunday", "toma proteína en polvo después del gimnasio",
     "foster care for the dog while she travels", "share the results with her husband, he drives her",
     "IOP 18 both eyes, recheck in 3 months", "tengo miedo de que me duela la inyección",
     "worried the knee will hurt me again", "afraid of the dentist", "Physical therapy for the knee",
     "Fire safety plan for the apartment", "Security escort to the car after dark, she asked", "Title page signed",
     "Needs an early refill of insulin before the trip", "Can you overdose on vitamin D?",
     "closing the store at night", "stockpiling insulin because the pharmacy keeps running out",
     "I'm the crazy one at work, always joking", "Me voy a matar trabajando doble turno, pero necesito el dinero",
     "lost the baby weight finally, can we recheck my cholesterol", "la vacuna del papiloma para mi hija",
     # The twelfth round's words in their everyday sense. Bare "transitioning", "clap", "coca" and "injects" stay
     # shown: most who write them alone mean a new job, applause, a Coca-Cola or insulin (with what it names,
     # "started transitioning", "got the clap", "se mete coca", "injects heroin", each is private).
     "transitioning", "transitioning to insulin next month", "clap", "clap along with the song", "coca",
     "coca cola", "una coca bien fría", "coca tea for the altitude", "injects", "insulin injections twice a day",
     "HRT for menopause, hot flashes better", "on HRT for hot flashes", "crystal clear", "Crystal M. called back",
     "my car is worth less than the repair", "the clouds hang over the valley", "we went sk iing in Hawaii",
     "my sugar was H I G H", "birthday P A R T Y", "n/v/d since tuesday", "Ben Der visited", "Dr. Ben Der called",
     "scared of going home to my mom, she'll be mad about my grades",
     # Beside stop 55's misses: a medicine that is no controlled one, from across the border; a virus not kept secret.
     "Gets her insulin from Mexico, much cheaper", "crosses the border to Tijuana for cheaper dental work",
     "Buys reading glasses from a guy at the flea market", "Takes melatonin to sleep, no prescription needed",
     "Had the virus last week, don't tell me you caught it too", "Don't tell Grandma he has the flu",
     # Taking one's medicines, or forgetting them: no misuse, and never labelled substance use.
     "takes her pills daily", "Forgets her pills again", "Gets her pills from the pharmacy across the street",
     "Picks up her pills at the Walgreens on Main Street", "Se le olvidan las pastillas otra vez",
     # Beside round 29's phrases: a partner in everyday logistics; a surname and places named Huntington.
     "Her husband will find out the appointment time and drive her", "Worried her husband will show up late again",
     "Shelter for women veterans helped her with housing", "Leave a message with her husband, he answers the phone",
     "Tiene miedo de que su esposo se enferme", "Mrs. Huntington brought her grandson today",
     "Patient is Dr. Huntington's sister", "Lives in Huntington Beach with her daughter",
     "Moved from Huntington, WV last year", "La Sra. Huntington la trae a la cita",
     "Skipped meals on purpose for the blood work", "Not eating on purpose before the colonoscopy prep",
     "No come a propósito antes de la colonoscopia", "Eating less to lose weight, walking daily",
     "Fasting for Ramadan this month", "Starving, hasn't had lunch yet", "Runs until he's tired every morning",
     "The kids will be fine without me for a couple of hours", "My husband can manage without me for a few days",
     "The team would do fine without me during my surgery", "Los niños van a estar bien sin mí el fin de semana",
     "Shares needles with her diabetic husband for insulin", "Had a drink in the morning with breakfast",
     "Her hands shake when she doesn't eat", "Las pastillas que le da su hija en la mañana",
     "Caught a cold from her husband", "I'm on T-Mobile now", "Started T-ball this spring",
     "Rode the T to the clinic", "Reads dark thriller books",
     "Depo-Medrol injection in the left knee today", "Got a Depo Medrol shot for her shoulder",
     "Se quitó de en medio para que pasara el carro", "I cut when I cook onions",
     "Only gives her the insulin after she eats", "La prueba de COVID salió positiva",
     "Sometimes also sees men from the gym for basketball", "Mi licencia de manejo está vencida",
     "I don't see the point in making it to the gym before 6", "Where my dad grabbed the ladder it broke",
     "He gets bad when he drinks coffee after 3", "Washed my hands raw from the dishwashing job",
     "My ocd is so bad lol my desk is perfect", "still traumatized from the last ear wax thing lol, please be gentle",
     "hungover from my sisters wedding lol, but here for my annual", "brought my binder of blood sugar logs",
     "flashbacks to my teenage acne lol, breakout on my chin", "cant get out of bed without my back screaming",
     "no aguanto el dolor de rodilla, las escaleras me van a matar",
     "me pica todo el brazo, me rasco hasta que sangra, creo que son piquetes de mosco",
     "Le toca a mi hija la vacuna hoy", "Quiero empezar la transición a la insulina",
     "Mi abuela vive en el asilo de ancianos", "Me corto el pelo cuando estoy triste",
     "Me quemé con el lighter prendiendo el asador", "I'm embarrassed, two weeks late on my bill",
     "Llora desde que nació el bebé, ¿es cólico?", "No duerme desde que nació el bebé, ¿es normal?",
     "Sore on my private after shaving", "Caught something from that guy at work, a cold",
     "Doctor, I am very molest because of the noise of the neighbors",
     "My tía is visiting from Guatemala on her tourist visa", "I brought my binder con todos los papeles",
     "Mi papá se toma una cerveza con la carne asada los domingos",
     "¿Cuántas pastillas de ibuprofeno puedo tomar al día?"],
)  # fmt: skip
def test_everyday_texts_sharing_those_words_are_shown(rules, text):
    assert not rules.judge(text).private
