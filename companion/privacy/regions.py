"""The places and scripts a language's name is written with: "Spanish (Belize)", "Chinese (Traditional, Hong Kong SAR
China)", "Serbian (Cyrillic)", "Arabic, Egyptian", "Español (México)". Records write them as CLDR displays a
language tag (es-BZ, zh-Hant-HK, sr-Cyrl); desks write a country or a people. A region is read as a whole name, so
"English (U.S. Virgin Islands)" shows and "English, virgin" is still more than a language (companion.privacy.name_line).

The names are the world's countries and territories as CLDR writes them in English (with the older and shorter
names records still carry), their Spanish names for the Americas and Spain, the continents and parts of the world,
the scripts of language tags (and how Chinese displays its own), and what a people is called where that names a
variety of a language."""

from __future__ import annotations

import re

from companion.privacy.other_languages import words_of

_COUNTRIES = """
    Afghanistan | Åland Islands | Albania | Algeria | American Samoa | Andorra | Angola | Anguilla
    Antarctica | Antigua & Barbuda | Antigua and Barbuda | Argentina | Armenia | Aruba | Ascension Island | Australia
    Austria | Azerbaijan | Bahamas | The Bahamas | Bahrain | Bangladesh | Barbados | Belarus | Belgium | Belize | Benin
    Bermuda | Bhutan | Bolivia | Bosnia & Herzegovina | Bosnia and Herzegovina | Bosnia | Herzegovina | Botswana
    Bouvet Island | Brazil | British Indian Ocean Territory | British Virgin Islands | Brunei | Bulgaria
    Burkina Faso | Burma | Burundi | Cambodia | Cameroon | Canada | Canary Islands | Cape Verde | Cabo Verde
    Caribbean Netherlands | Cayman Islands | Central African Republic | Ceuta & Melilla | Chad | Chile | China
    Christmas Island | Clipperton Island | Cocos (Keeling) Islands | Colombia | Comoros | Congo | Congo - Brazzaville
    Congo - Kinshasa | Democratic Republic of the Congo | Republic of the Congo | Cook Islands | Costa Rica
    Côte d'Ivoire | Ivory Coast | Croatia | Cuba | Curaçao | Cyprus | Czechia | Czech Republic
    Denmark | Diego Garcia | Djibouti | Dominica | Dominican Republic | Ecuador | Egypt | El Salvador | Salvador
    Equatorial Guinea | Eritrea | Estonia | Eswatini | Swaziland | Ethiopia | Falkland Islands | Faroe Islands | Fiji
    Finland | France | French Guiana | French Polynesia | French Southern Territories | Gabon | Gambia | The Gambia
    Georgia | Germany | Ghana | Gibraltar | Greece | Greenland | Grenada | Guadeloupe | Guam | Guatemala | Guernsey
    Guinea | Guinea-Bissau | Guyana | Haiti | Heard & McDonald Islands | Honduras | Hong Kong | Hong Kong SAR China
    Hong Kong SAR | Hungary | Iceland | India | Indonesia | Iran | Iraq | Ireland | Isle of Man | Israel | Italy
    Jamaica | Japan | Jersey | Jordan | Kazakhstan | Kenya | Kiribati | Kosovo | Kuwait | Kyrgyzstan | Laos | Latvia
    Lebanon | Lesotho | Liberia | Libya | Liechtenstein | Lithuania | Luxembourg | Macao | Macau | Macao SAR China
    Madagascar | Malawi | Malaysia | Maldives | Mali | Malta | Marshall Islands | Martinique | Mauritania | Mauritius
    Mayotte | Mexico | Micronesia | Moldova | Monaco | Mongolia | Montenegro | Montserrat | Morocco | Mozambique
    Myanmar | Myanmar (Burma) | Namibia | Nauru | Nepal | Netherlands | Holland | New Caledonia | New Zealand
    Nicaragua | Niger | Nigeria | Niue | Norfolk Island | North Korea | North Macedonia | Macedonia
    Northern Mariana Islands | Norway | Oman | Pakistan | Palau | Palestine | Palestinian Territories | Panama
    Papua New Guinea | Paraguay | Peru | Philippines | Pitcairn Islands | Poland | Portugal | Puerto Rico | Qatar
    Réunion | Romania | Russia | Rwanda | Samoa | San Marino | São Tomé & Príncipe | Sao Tome and Principe
    Saudi Arabia | Senegal | Serbia | Seychelles | Sierra Leone | Singapore | Sint Maarten | Slovakia | Slovenia
    Solomon Islands | Somalia | Somaliland | South Africa | South Georgia & South Sandwich Islands | South Korea
    Korea | South Sudan | Spain | Sri Lanka | St. Barthélemy | St. Helena | St. Kitts & Nevis | St. Lucia
    St. Martin | St. Pierre & Miquelon | St. Vincent & Grenadines | Saint Kitts and Nevis | Saint Lucia
    Saint Vincent and the Grenadines | Sudan | Suriname | Svalbard & Jan Mayen | Sweden | Switzerland | Syria
    Taiwan | Tajikistan | Tanzania | Thailand | Timor-Leste | East Timor | Togo | Tokelau | Tonga
    Trinidad & Tobago | Trinidad and Tobago | Trinidad | Tobago | Tristan da Cunha | Tunisia | Türkiye | Turkey
    Turkmenistan | Turks & Caicos Islands | Tuvalu | U.S. Outlying Islands | U.S. Virgin Islands | Uganda | Ukraine
    United Arab Emirates | UAE | United Kingdom | UK | Great Britain | Britain | England | Scotland | Wales
    Northern Ireland | United States | United States of America | US | USA | U.S. | U.S.A. | America | Uruguay
    Uzbekistan | Vanuatu | Vatican City | Venezuela | Vietnam | Viet Nam | Wallis & Futuna | Western Sahara | Yemen
    Zambia | Zimbabwe | Quebec | Azores | Madeira | Galicia | Catalonia | Cataluña | Andalusia
    Yucatán | Oaxaca | Chiapas | Guerrero | Michoacán | Jalisco | Puebla | Sicily | Sardinia | Punjab | Kerala
    Tamil Nadu | Gujarat | Bengal | West Bengal | Kurdistan | Chechnya | Dagestan | Tibet | Fujian
    Shanghai | Guangdong | Canton | Sichuan | Hawaii | Alaska | Louisiana | Okinawa
"""
_SPANISH = """
    Estados Unidos | EE. UU. | EEUU | Méjico | España | República Dominicana | Belice | Brasil | Guinea Ecuatorial
    Filipinas | Centroamérica | Sudamérica | Suramérica | Latinoamérica | Hispanoamérica | América Latina
    América Central | América del Sur | América del Norte | Norteamérica | Caribe | el Caribe | Francia | Alemania
    Italia | Japón | Rusia
"""
_PARTS_OF_THE_WORLD = """
    World | Worldwide | International | Region | Regional | Africa | North Africa | West Africa | East Africa
    Central Africa | Southern Africa | Sub-Saharan Africa | Asia | East Asia | South Asia | Southeast Asia
    Central Asia | Middle East | Near East | Europe | Western Europe | Eastern Europe | European Union
    Americas | North America | South America | Central America | Latin America
    Latin America and the Caribbean | Caribbean | Oceania | Polynesia | Melanesia | Pacific | Pacific Islands
    Australasia | Balkans
    Scandinavia | Nordic | Baltic | Iberia | Maghreb | Levant | Gulf | Persian Gulf | Arabian Peninsula | Horn of Africa
    Mainland | Mainland China | Overseas | North | South | East | West | Northern | Southern | Eastern | Western
    Central | Highland | Highlands | Lowland | Coastal | Rural | Urban | Standard | Traditional | Simplified
"""
_SCRIPTS = """
    Latin | Cyrillic | Arabic | Perso-Arabic | Hebrew | Greek | Armenian | Georgian | Devanagari | Bangla | Bengali
    Gurmukhi | Gujarati | Tamil | Telugu | Kannada | Malayalam | Sinhala | Thai | Lao | Khmer | Tibetan
    Ethiopic | Ge'ez | Tifinagh | Adlam | N'Ko | Syriac | Thaana | Mongolian | Han | Hans | Hant | Hangul | Kana
    Hiragana | Katakana | Jamo | Cherokee | Canadian Aboriginal Syllabics | Syllabics | Yi | Vai | Braille | Romanized
    Romanised | Pinyin | Zhuyin | Jyutping | Script | Alphabet
    简体 | 繁體 | 繁体 | 简体中文 | 繁體中文 | 中国 | 中國 | 台灣 | 台湾 | 香港 | 澳門 | 澳门 | 新加坡 | 한국 | 日本
"""
# What a people is called, where a record or a desk names a variety of a language by it: "Spanish (Salvadoran)",
# "Arabic, Egyptian", "Portuguese (Cape Verdean)", "Chinese - Fuzhounese".
_PEOPLES = """
    African | Asian | American | Latin American | Central American | South American | North American | Hispanic
    Latino | Latinx | Mexican | Salvadoran | Salvadorean | Guatemalan | Honduran | Nicaraguan | Costa Rican
    Panamanian | Belizean | Cuban | Dominican | Puerto Rican | Colombian | Venezuelan | Peruvian | Ecuadorian
    Bolivian | Chilean | Argentine | Argentinian | Uruguayan | Paraguayan | Andean | Rioplatense | Castilian | Iberian
    European | Continental | Peninsular | Canarian | Brazilian | Portuguese | Azorean | Madeiran | Cape Verdean
    Angolan | Mozambican | Haitian | Jamaican | Trinidadian | Guyanese | Canadian | Québécois | Acadian
    Cajun | Creole | Parisian | French | Belgian | Swiss | Swiss German | Austrian | German | British | English
    Scottish | Irish | Welsh | Australian | Kiwi | Indian | Pakistani | Bangladeshi | Sri Lankan
    Nepali | Nepalese | Bhutanese | Afghan | Iranian | Persian | Tajik | Iraqi | Syrian | Lebanese | Jordanian
    Palestinian | Egyptian | Libyan | Tunisian | Algerian | Moroccan | Maghrebi | Darija | Levantine
    Saudi | Yemeni | Emirati | Kuwaiti | Omani | Qatari | Bahraini | Hejazi | Najdi | Chadian | Mauritanian
    Somali | Ethiopian | Eritrean | Sudanese | Nigerian | Ghanaian | Kenyan | Tanzanian | Ugandan | Rwandan
    Burundian | Congolese | Cameroonian | Senegalese | Malian | Guinean | Ivorian | Liberian | Sierra Leonean
    Gambian | Togolese | Beninese | Burkinabe | South African | Zimbabwean | Zambian | Malawian | Chinese
    Taiwanese | Cantonese | Mandarin | Hokkien | Fujianese | Fuzhounese | Fuzhou | Shanghainese | Teochew
    Hakka | Taishanese | Toishanese | Sichuanese | Japanese | Korean | Vietnamese | Northern Vietnamese
    Southern Vietnamese | Cambodian | Laotian | Burmese | Karen | Filipino | Indonesian | Malaysian
    Singaporean | Russian | Ukrainian | Belarusian | Polish | Czech | Slovak | Hungarian | Romanian | Moldovan
    Bulgarian | Serbian | Croatian | Bosnian | Montenegrin | Macedonian | Albanian | Kosovar | Cypriot
    Turkish | Western Armenian | Eastern Armenian | Azerbaijani | Kazakh | Uzbek | Kyrgyz
    Turkmen | Chechen | Kurdish | Israeli | Italian | Sicilian | Neapolitan | Sardinian | Spanish | Catalan
    Valencian | Galician | Basque | Andalusian | Dutch | Flemish | Danish | Norwegian | Swedish | Finnish
    Icelandic | Estonian | Latvian | Lithuanian | Hawaiian | Samoan | Tongan | Fijian | Chuukese | Marshallese
    Indigenous | Native
    mexicano | salvadoreño | guatemalteco | hondureño
    nicaragüense | costarricense | panameño | beliceño | cubano | dominicano
    puertorriqueño | boricua | colombiano | venezolano
    peruano | ecuatoriano | boliviano | chileno | argentino
    uruguayo | paraguayo | latinoamericano | centroamericano
    sudamericano | caribeño | castellano | español | española
    andino | de México | de España
"""
_ONE_NAME_APART = re.compile(r"[|\n]")  # names are split by bars and line ends: none is wrapped
_ALL_NAMES = "\n".join((_COUNTRIES, _SPANISH, _PARTS_OF_THE_WORLD, _SCRIPTS, _PEOPLES))
REGIONS: frozenset[tuple[str, ...]] = frozenset(
    words for words in (tuple(words_of(name)) for name in _ONE_NAME_APART.split(_ALL_NAMES)) if words
)
_LONGEST = max(map(len, REGIONS))


def without_regions(words: list[str]) -> list[str]:
    """The words left once every region, script or people named among them is taken out, the longest name first
    ("hong kong sar china" whole, not "china" alone); `words` as companion.privacy.other_languages.words_of gives
    them."""
    left, at = [], 0
    while at < len(words):
        for length in range(min(_LONGEST, len(words) - at), 0, -1):
            if tuple(words[at : at + length]) in REGIONS:
                at += length
                break
        else:
            left.append(words[at])
            at += 1
    return left
