<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name></name>
    <message>
        <location filename="../../ui/main_window.py" line="43"/>
        <location filename="../../ui/views/admin.py" line="176"/>
        <location filename="../../ui/views/glance.py" line="391"/>
        <location filename="../../ui/views/today.py" line="258"/>
        <location filename="../../ui/window/damaged_database.py" line="39"/>
        <location filename="../../ui/window/damaged_database.py" line="138"/>
        <location filename="../../ui/window/damaged_database.py" line="157"/>
        <location filename="../../ui/window/handout_print.py" line="140"/>
        <source>Encounter Companion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="46"/>
        <source>Hidden. Esc shows the window again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="47"/>
        <source>The window locks in 30 s. Press a key or move the mouse to stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="80"/>
        <source>Hidden</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="220"/>
        <source>Prepare and the glance are for the visit&apos;s clinician; Rooming (Ctrl+2) is yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="227"/>
        <source>Choose a visit on Today first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="253"/>
        <source>The patient&apos;s screen: your PIN takes it back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="319"/>
        <source>Always on top: on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="319"/>
        <source>Always on top: off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="336"/>
        <source>Importing records is for clinicians; an admin sees no patient information.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="364"/>
        <source>Locked. Sign in to go on; another clinician may sign in here too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="464"/>
        <source>This visit is not in the records (the clinic&apos;s retention may have removed it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="468"/>
        <source>This visit is on another clinician&apos;s list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="469"/>
        <source>This visit is not assigned yet: a nurse assigns it on Today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="514"/>
        <source>1 thing you typed or changed is not saved yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="516"/>
        <source>%d things you typed or changed are not saved yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="519"/>
        <source>The database cannot take it just now; with the window open it is saved as soon as it can be. Closing now loses it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="523"/>
        <source>Close anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="524"/>
        <source>Keep open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/agenda.py" line="35"/>
        <source>Agenda</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/agenda.py" line="38"/>
        <source>Something else, in their words, Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/agenda.py" line="41"/>
        <source>&amp;Mine: the clinician&apos;s own item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/agenda.py" line="42"/>
        <source>Agreed  (Ctrl+G)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/agenda.py" line="46"/>
        <source>Agree on what matters most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/closing.py" line="29"/>
        <source>Agenda, each item addressed or deferred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/closing.py" line="30"/>
        <source>Agreed next steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/closing.py" line="32"/>
        <source>Agreed next step, Enter  (Ctrl+J)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/closing.py" line="35"/>
        <source>&amp;Teach-back: plan in their own words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/closing.py" line="37"/>
        <source>&amp;Ask-Tell-Ask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/closing.py" line="39"/>
        <source>Visit done  (Ctrl+D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/closing.py" line="43"/>
        <source>Close well · Space marks each item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/closing.py" line="45"/>
        <source>Next steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/closing.py" line="101"/>
        <source>•  %s  (changed on the patient&apos;s screen; agreed: %s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/emotion_checklist.py" line="50"/>
        <source>Emotion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/emotion_checklist.py" line="52"/>
        <location filename="../../ui/panels/emotion_checklist.py" line="183"/>
        <source>No cue yet · Ctrl+K to note one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/emotion_checklist.py" line="178"/>
        <source>Cue saved as sensitive: kept off the glance, behind the reveal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/emotion_checklist.py" line="183"/>
        <source>Another cue · Ctrl+K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/emotion_checklist.py" line="185"/>
        <source>%d of %d · Ctrl+PgDn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/emotion_checklist.py" line="199"/>
        <source>An example for %s; say it in your own words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/emotion_checklist.py" line="201"/>
        <source>An example for any emotion; say it in your own words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/emotion_checklist.py" line="213"/>
        <source>VitalTalk: an “I wish …” statement, and “Tell me more”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/ritual.py" line="40"/>
        <source>Your focus ritual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/ritual.py" line="44"/>
        <source>Start  (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/ritual.py" line="46"/>
        <source>Go in now  (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/ritual.py" line="48"/>
        <source>Edit my ritual  (Ctrl+E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/ritual.py" line="122"/>
        <source>My focus ritual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/ritual.py" line="127"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/ritual.py" line="130"/>
        <source>Steps (one per line, at most %d)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/ritual.py" line="131"/>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/ritual.py" line="155"/>
        <source>Your ritual is saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="27"/>
        <source>Private: hidden (Ctrl+Shift+S shows)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="28"/>
        <source>Show the private items first (Ctrl+Shift+S) to correct one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="62"/>
        <source>Private</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="64"/>
        <source>Keep it off the glance (facts the clinic&apos;s rules call private are kept off anyway)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="78"/>
        <source>F2 correct · Delete retract · %s history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="117"/>
        <source>priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="117"/>
        <source>note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="138"/>
        <source>Correct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="139"/>
        <source>The earlier words are kept in its history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="149"/>
        <source>Retract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="150"/>
        <source>Why is this retracted? (It is kept, not deleted.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="189"/>
        <source>Someone else changed this meanwhile; their words are kept in its history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/context.py" line="111"/>
        <source>Saved as private: kept off the glance, behind the reveal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="204"/>
        <source>What matters today, in their words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="205"/>
        <source>Add in their words, then Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="209"/>
        <source>&amp;Lasting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="210"/>
        <source>Carry this priority to later visits (Alt+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="213"/>
        <source>From the %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="214"/>
        <source>Whose priority this is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="267"/>
        <source>Topic…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="274"/>
        <source>Lasting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/rooming_sections.py" line="275"/>
        <source>About the patient, shown at later visits too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="36"/>
        <location filename="../../ui/views/admin.py" line="76"/>
        <source>Clinicians</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="41"/>
        <location filename="../../ui/window/sign_in_dialog.py" line="31"/>
        <source>4 to 12 digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="42"/>
        <source>Add clinician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="44"/>
        <source>Set their PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="45"/>
        <source>Set the PIN of the clinician selected above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="49"/>
        <source>until purged by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="50"/>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="51"/>
        <source>Older visits are removed by a purge, and left out when records are imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="52"/>
        <source>Remove older visits now…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="53"/>
        <source>Counts what is older than the saved number of days, then asks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="56"/>
        <source>Purge at start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="57"/>
        <source>Remove older visit data each time the app starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="60"/>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="61"/>
        <source>Save settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="64"/>
        <location filename="../../ui/window/sign_in_dialog.py" line="42"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="65"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="66"/>
        <location filename="../../ui/window/sign_in.py" line="90"/>
        <location filename="../../ui/window/sign_in_dialog.py" line="43"/>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="71"/>
        <source>Keep visit data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="74"/>
        <source>Lock when idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="80"/>
        <source>Clinic settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="121"/>
        <source>Another desk changed the clinic settings; they show here now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="124"/>
        <source>Another desk changed the clinic settings; what you changed here stays until you save it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="138"/>
        <source>Added. They sign in with their name and PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="147"/>
        <source>PIN set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="155"/>
        <source>Settings saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="163"/>
        <source>Counting what is older than the clinic keeps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="173"/>
        <source>Nothing is older than the clinic keeps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="179"/>
        <source>Remove for good what is older than %d days? Visits: %d · priorities: %d · notes: %d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="183"/>
        <source>Lasting priorities stay. The audit log keeps that they were removed; imports leave those visits out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="185"/>
        <source>Remove for good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="186"/>
        <source>Keep them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/admin.py" line="203"/>
        <source>Removed for good. Visits: %d · priorities: %d · notes: %d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="37"/>
        <source>F5 when you sit down, then let them finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="38"/>
        <source>F5 when connected; look at the camera.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="39"/>
        <source>Ctrl+N something else · Ctrl+G agreed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="40"/>
        <source>Visit done · Ctrl+Shift+C copies the summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="118"/>
        <location filename="../../ui/views/prepare.py" line="56"/>
        <source>What matters today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="119"/>
        <location filename="../../ui/views/prepare.py" line="36"/>
        <source>Their story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="189"/>
        <location filename="../../ui/views/prepare.py" line="101"/>
        <source>Video visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="196"/>
        <source>Nothing yet. Ask: what matters most today?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="198"/>
        <source>Nothing noted yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="291"/>
        <source>+%d more on the prep card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="394"/>
        <source>They are kept off the glance. Finishing now leaves them for the next visit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="395"/>
        <source>Read on the prep card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="396"/>
        <source>Finish anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="444"/>
        <source>Summary copied, without private facts. Paste it into the record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="461"/>
        <source>Listening · %d s · F5 when they finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/glance.py" line="483"/>
        <location filename="../../ui/views/prepare.py" line="108"/>
        <source>+%d more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/prepare.py" line="40"/>
        <source>Care goals, from the health record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/prepare.py" line="105"/>
        <source>Nothing recorded yet: ask.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/prepare.py" line="119"/>
        <source>Ask how it is going; notice their efforts, celebrate progress.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/prepare.py" line="129"/>
        <source>Private items (%d): reveal  Ctrl+Shift+S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/prepare.py" line="144"/>
        <source>Safety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/recentre.py" line="32"/>
        <source>Re-centre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/recentre.py" line="34"/>
        <source>Breathe out slowly. Let the last visit go.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/recentre.py" line="39"/>
        <source>&amp;Pause between visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/recentre.py" line="67"/>
        <source>No more visits today. Space or Enter: back to Today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/recentre.py" line="71"/>
        <source>Next: %s · %s. Space or Enter skips.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/reflection.py" line="23"/>
        <source>&amp;Keep a private reflection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/reflection.py" line="26"/>
        <source>Only you see this, on your own sign-in. It is never in a summary or an export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/reflection.py" line="33"/>
        <source>Per visit: agenda elicited, ritual, cues explored, teach-back (✓ done, · not, – no cue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/reflection.py" line="55"/>
        <source>Week of %s · visits done: %d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="53"/>
        <source>Enter open · Alt+←→ day · Alt+Home today · Ctrl+I import · Esc hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="54"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="58"/>
        <source>Enter open · Alt+←→ day · Ctrl+N new · A assign · M move · P patient · H check-in · N no-show · Del cancel · Ctrl+I import · Esc hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="65"/>
        <source>Enter add · Alt+↑↓ order · F2 edit · Ctrl+H history · Del retract · Esc hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="66"/>
        <source>Rooming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="75"/>
        <source>Space start · Ctrl+Enter go in · Ctrl+E ritual · Esc hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="76"/>
        <source>Prepare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="86"/>
        <source>F5 listen · Ctrl+K cue · Ctrl+D close · F9 show the patient · Ctrl+P handout · Esc hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="87"/>
        <source>Glance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="97"/>
        <source>Only you see this · Alt+K on/off · Esc hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="98"/>
        <source>Reflect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="104"/>
        <source>F9 back (your PIN) · ↑↓ choose · That&apos;s not what I meant: correct it, Enter saves · Esc hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="112"/>
        <source>Space or Enter skips the pause · Esc hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/registry.py" line="119"/>
        <source>Clinicians, PINs and settings · Ctrl+Shift+U lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/rooming.py" line="31"/>
        <source>Ask: “%s”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/rooming.py" line="33"/>
        <source>Show sensitive  (Ctrl+Shift+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/rooming.py" line="36"/>
        <source>Roomed: ready  (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/rooming.py" line="37"/>
        <source>The clinician sees it on their Today list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/rooming.py" line="103"/>
        <source>Marked roomed. The clinician sees it on their Today list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/rooming.py" line="105"/>
        <source>Already with the clinician (%s); left as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="24"/>
        <source>Running the clinic&apos;s day (booking, moving, assigning, cancelling, patient details, check-in) is for nurses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="47"/>
        <source>Visits of the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="55"/>
        <source>Day shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="57"/>
        <source>Alt+← and Alt+→ step a day, Alt+Home comes back to today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="59"/>
        <location filename="../../ui/views/today.py" line="132"/>
        <source>No visits today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="119"/>
        <source>All clinicians</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="132"/>
        <source>No visits on this day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="181"/>
        <source>Booked for %s at %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="210"/>
        <source>Moved to %s at %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="224"/>
        <source>Details saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="233"/>
        <source>Cancel the %s?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="233"/>
        <source>Cancel visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="239"/>
        <source>A visit is marked no-show on its day or later; cancel it if they will not come.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="244"/>
        <source>The patient has come, so this is not a no-show; cancel the visit if need be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="247"/>
        <source>Mark the %s as a no-show?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="247"/>
        <source>Mark no-show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="252"/>
        <source>Assigned to %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="252"/>
        <source>The visit is unassigned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="262"/>
        <source>Everything written for it is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="264"/>
        <source>Keep it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="284"/>
        <source>This visit is closed (%s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="292"/>
        <source>%s visit of %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/widgets.py" line="63"/>
        <source>Reason private</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/widgets.py" line="360"/>
        <source>Private words kept as a draft: they show when you type on this line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="300"/>
        <source>Video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views/today.py" line="302"/>
        <location filename="../../ui/window/new_visit_dialog.py" line="116"/>
        <source>Unassigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/appearance.py" line="96"/>
        <source>Text is as large as this screen can show the glance whole.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/appearance.py" line="98"/>
        <source>Text is at its smallest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/appearance.py" line="102"/>
        <source>Text size %d %%.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/appearance.py" line="107"/>
        <source>High contrast: on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/appearance.py" line="107"/>
        <source>High contrast: off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/appearance.py" line="115"/>
        <source>(Not remembered: this computer&apos;s settings folder cannot be written.)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/assign_dialog.py" line="17"/>
        <source>No one yet (unassigned)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/assign_dialog.py" line="34"/>
        <source>Assign visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/assign_dialog.py" line="47"/>
        <source>Assign  (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/assign_dialog.py" line="49"/>
        <source>Who sees this patient?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/backup_task.py" line="30"/>
        <source>Today&apos;s backup could not be made: %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="42"/>
        <source>The database file is damaged. What you typed is kept on screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="46"/>
        <source>The database file is damaged, so it cannot be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="47"/>
        <source>File: %s
Problem: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="55"/>
        <source>Restore the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="49"/>
        <source>There is no backup of it yet. The file is left as it is.

%s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="44"/>
        <source>The database file is missing. Backups of it are kept, so no empty one was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="52"/>
        <source>The latest backup is %s.
Restore it? If it is damaged too, the newest whole one is restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="53"/>
        <source>The damaged file is kept aside, not overwritten.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="57"/>
        <source>Not now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="57"/>
        <location filename="../../ui/window/damaged_database.py" line="150"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="68"/>
        <source>The backup could not be restored: %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="71"/>
        <source>Restored from %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="73"/>
        <source>Restored from %s. The damaged file is kept as %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="78"/>
        <source>Newer backups that could not be put back: %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="138"/>
        <source>There is no database at the path this app was given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="143"/>
        <source>File: %s

If the path is right but the clinic&apos;s database is on a drive or network folder that is not connected yet, quit and connect it first. Start a new, empty clinic database there only if this is a new clinic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="149"/>
        <source>Start a new database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="157"/>
        <source>The app cannot start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="105"/>
        <source>SQLite reports it malformed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="189"/>
        <source>An import is running; restore the backup once it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/damaged_database.py" line="200"/>
        <source>What was saved after the backup&apos;s day is in the damaged file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/edit_dialog.py" line="42"/>
        <location filename="../../ui/window/new_visit_dialog.py" line="126"/>
        <location filename="../../ui/window/patient_dialog.py" line="48"/>
        <source>Save  (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="21"/>
        <source>Private: its words are hidden (Ctrl+Shift+S in Rooming shows them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="23"/>
        <source>Private: marked so by the person who wrote it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="24"/>
        <source>Private: its wording falls under the clinic&apos;s rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="25"/>
        <source>Private: the clinic keeps its topic private</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="26"/>
        <source>Private: its record&apos;s security label says so</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="27"/>
        <source>Private: its record&apos;s code says so</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="28"/>
        <source>Private: written in a language the clinic&apos;s rules do not read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="40"/>
        <source>today %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="41"/>
        <source>yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="66"/>
        <source>History of a %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="68"/>
        <source>Every version, oldest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="79"/>
        <source>Close  (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="99"/>
        <source> by %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="108"/>
        <source>Moved, or marked addressed or deferred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="108"/>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="110"/>
        <source>Written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="111"/>
        <source>Corrected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/history_dialog.py" line="112"/>
        <source>Retracted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="55"/>
        <location filename="../../ui/window/import_dialog.py" line="82"/>
        <source>Import health records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="59"/>
        <source>FHIR R4 JSON from the clinic&apos;s record: Bundles, single resources or NDJSON. Nothing is saved until the import is finished; Cancel leaves everything as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="63"/>
        <source>Choose files…  (Ctrl+O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="64"/>
        <source>Choose a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="71"/>
        <source>No import running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="76"/>
        <location filename="../../ui/window/import_dialog.py" line="189"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="96"/>
        <source>Import FHIR files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="102"/>
        <source>Import a folder of FHIR files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="117"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="118"/>
        <location filename="../../ui/window/widgets.py" line="71"/>
        <source>Cancel  (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="138"/>
        <source>file %d of %d %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="140"/>
        <source>an unexpected problem stopped the import (%s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="147"/>
        <source>Cancelling… nothing will be saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="164"/>
        <source>Cancelled. Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="173"/>
        <source>Skipped %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="169"/>
        <location filename="../../ui/window/import_dialog.py" line="173"/>
        <source>file %d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/import_dialog.py" line="182"/>
        <source>Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="17"/>
        <source>Scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="18"/>
        <source>Roomed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="19"/>
        <source>Prepared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="20"/>
        <source>In visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="21"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="22"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="23"/>
        <source>No-show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="29"/>
        <source>Family</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="30"/>
        <source>Work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="31"/>
        <source>Home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="32"/>
        <source>Culture and beliefs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="33"/>
        <source>What brings joy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="34"/>
        <source>Social needs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="35"/>
        <source>Hearing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="36"/>
        <source>Vision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="37"/>
        <source>Mobility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="38"/>
        <source>Interpreter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="43"/>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="43"/>
        <location filename="../../ui/window/labels.py" line="51"/>
        <source>Nurse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="43"/>
        <source>Clinician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="47"/>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="47"/>
        <source>addressed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="47"/>
        <source>deferred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="51"/>
        <source>Physician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="51"/>
        <source>Other clinician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/labels.py" line="51"/>
        <source>Admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/move_dialog.py" line="31"/>
        <source>Move visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/move_dialog.py" line="38"/>
        <source>Move  (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/move_dialog.py" line="41"/>
        <location filename="../../ui/window/new_visit_dialog.py" line="131"/>
        <source>&amp;Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/move_dialog.py" line="42"/>
        <location filename="../../ui/window/new_visit_dialog.py" line="132"/>
        <source>&amp;Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/move_dialog.py" line="60"/>
        <source>The visit was not moved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="68"/>
        <source>record %d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="93"/>
        <source>New visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="99"/>
        <source>Part of the name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="112"/>
        <location filename="../../ui/window/new_visit_dialog.py" line="161"/>
        <source>Type part of the name; Down and Enter choose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="122"/>
        <source>&amp;Video visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="128"/>
        <source>&amp;Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="133"/>
        <source>&amp;With</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="134"/>
        <source>&amp;Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="174"/>
        <source>New patient: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="205"/>
        <source>New patient: %s (added when you save)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="221"/>
        <source>Type the patient&apos;s name, then choose them (Down, Enter).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="223"/>
        <source>Choose the patient under the name (Down, Enter), or &quot;New patient&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/new_visit_dialog.py" line="247"/>
        <source>The visit was not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="35"/>
        <source>Patient details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="40"/>
        <source>As on their ID or insurance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="41"/>
        <source>What they like to be called</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="42"/>
        <source>For example she/her, he/him, they/them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="43"/>
        <source>The language they prefer for their care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="44"/>
        <source>&amp;Interpreter needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="46"/>
        <source>Hearing, sight, mobility, transport… (added as a lasting note)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="50"/>
        <source>&amp;Recorded name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="51"/>
        <source>&amp;Preferred name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="52"/>
        <source>Pro&amp;nouns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="53"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="55"/>
        <source>A&amp;dd a need</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="71"/>
        <source>The recorded name cannot be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_dialog.py" line="88"/>
        <source>The details were not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in.py" line="89"/>
        <source>Opening the list of names…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in.py" line="96"/>
        <source>Sign in  (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in.py" line="109"/>
        <source>Who is signing in?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in.py" line="149"/>
        <source>Check that your name is chosen, then press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in.py" line="156"/>
        <source>Type your PIN, then Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in.py" line="161"/>
        <source>One moment: opening the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in.py" line="179"/>
        <source>Checking the PIN: another desk is saving. One moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in_dialog.py" line="32"/>
        <source>the same PIN again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in_dialog.py" line="39"/>
        <source>Create the first admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in_dialog.py" line="44"/>
        <source>PIN again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in_dialog.py" line="46"/>
        <source>No admin yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in_dialog.py" line="47"/>
        <source>The admin adds clinicians, resets PINs and sets how long data is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in_dialog.py" line="56"/>
        <source>The two PINs differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in_dialog.py" line="81"/>
        <source>Sign in · Encounter Companion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in_dialog.py" line="107"/>
        <source>Nobody to sign in yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/sign_in_dialog.py" line="109"/>
        <source>This database already holds patients. Its admin is added at the command line:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/when_fields.py" line="14"/>
        <source>Write the time as HH:MM, for example 14:15.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_mode.py" line="123"/>
        <source>Back to the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_mode.py" line="127"/>
        <source>Take the screen back without the answers (then your PIN again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_mode.py" line="131"/>
        <source>A nurse or physician takes the screen back with their PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_mode.py" line="318"/>
        <source>Only a nurse or physician can take the screen back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_mode.py" line="396"/>
        <source>The answers could not be saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_mode.py" line="407"/>
        <source>Check-in saved: the patient&apos;s answers are on Rooming.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/patient_mode.py" line="409"/>
        <source>Check-in not saved: ask the patient again what they wanted to say.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="141"/>
        <source>The clinic&apos;s retention purge did not finish: %s. The window works as usual.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/rules_recheck.py" line="68"/>
        <source>Stored facts could not be judged with the updated privacy rules: %s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/rules_recheck.py" line="70"/>
        <source>The updated privacy rules keep 1 more stored fact off the glance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/rules_recheck.py" line="72"/>
        <source>The updated privacy rules keep %d more stored facts off the glance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/handout_print.py" line="152"/>
        <source>Printed without 1 private item: a handout never carries it; go over it in person.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/window/handout_print.py" line="154"/>
        <source>Printed without %d private items: a handout never carries them; go over them in person.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppContext</name>
    <message>
        <location filename="../../ui/window/context.py" line="277"/>
        <source>Connected again. Everything you typed is saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
