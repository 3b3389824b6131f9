"""The words that are evidence of each category of the contract, with their weights.

Owns only the phrases; classify.py weighs where they are written and decides.
"""
from __future__ import annotations

import re

_R = lambda s: re.compile(r"(?i)\b(?:" + s + r")")  # noqa: E731

EVIDENCE: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = {
    "roll_removal": (
        (_R(r"(remov\w*|delet\w*|tak(e|en|ing) off|come off|came off)[^.\n]{0,40}\b(from|off),? (our|the|its|his|her|school|admissions?)?"
            r" ?(school )?(roll|register|admission register)"), 3.0),
        (_R(r"(date|reason|grounds?) (of |for )?(removal|deletion|leaving)|date removed|non-standard (transition|time)|"
            r"(pupil|child) leaving|leavers? (form|notification|return)|notification of (a )?(pupil )?leav\w+|"
            r"(pupil|child) (has )?left (our|the) school"), 2.0),
        (_R(r"(taken|take|taking|takes|came|come|coming|went) off (our|the|its|his|her|their) (school |admissions? )?"
            r"(roll|register|admission register)"), 3.0),
        (_R(r"leavers?\b(?! (assembly|assemblies|hoodies?|prom|trip|celebration|photos?|ball|service|day)\b)"), 1.0),
        (_R(r"off[- ]roll(ed|ing)?|removal from (the |our )?(school )?roll|deletion from (the |our )?(school |admission )?(roll|register)|"
            r"(roll|register) (removal|deletion)|leaving (notification|notice|return)|deletion return"), 3.0),
        (_R(r"reg(ulation)?\.? ?9|9\s?\(1\)\s?\([a-m]\)|regulation 8|grounds? (for|of) (deletion|removal)|"
            r"lost pupil|\bCTF\b|common transfer file"), 1.5),
        (_R(r"(withdrawn|withdrawal) (from (the |our )?school|by (her|his|their|the) parents?)|notice of (pupil )?withdrawal|"
            r"pupil withdrawal|will not be returning to (us|the school|[A-Z][\w']+( [A-Z][\w']+){0,3} (school|college|academy))"), 2.0),
        (_R(r"(is|has been|will be|was) (no longer )?on (our|the) roll|last day (on roll|at school)|emigrat\w*|"
            r"moved (abroad|overseas|to (scotland|wales|ireland|northern ireland))"), 0.8),
    ),
    "la_enquiry": (
        (_R(r"(moved|move|relocated|living|resident) (in)?to your (area|authority|county|la)|in your (area|authority)|"
            r"known to (you|hampshire|your (authority|service|team|la|county))|on your (records|system|database)|"
            r"(check|search) your (records|systems?|database)|any (record|trace|information) of"), 3.0),
        (_R(r"(we are|we're|i am|i'm) (trying to )?(trac(e|ing)|locat\w+|find)|children missing education "
            r"(officer|team|coordinator) (at|for) \w+ (county |city |borough |district )?council|"
            r"inter[- ]authority|other (local )?authorit"), 1.5),
        (_R(r"enquiry|request for information|information request"), 1.0),
        (_R(r"pupil tracing|tracing (request|enquiry)|(one|any) of your schools|(on roll|registered|admitted|enrolled) "
            r"(at|in|with) (a |any )?(school (in|of) )?your (schools?|area|county|authority)"), 2.0),
        (_R(r"(education|pupil|attendance|school|admissions?|inclusion|access|welfare|tracing)[\w ]{0,25}(officer|team|service|manager|"
            r"co-?ordinator),? (the )?(?!hampshire\b)(?-i:[A-Z]\w+)( (?-i:[A-Z]\w+)){0,2} (county |city |borough |district )?council\b"), 1.0),
        (_R(r"(turned up|arrived|be living|be staying|moved|gone|be) in (hampshire|your (area|county|authority|patch))|"
            r"(children missing education|cme) (officer|team|co-?ordinator|lead|service)s?,? (for|at|of|in)? ?(the )?"
            r"(?!hampshire\b)(?-i:[A-Z]\w+)( (?-i:[A-Z]\w+))? (county |city |borough |district |metropolitan )?council|"
            r"we are the (children missing education|cme) (team|service) (for|at|of|in) (?!hampshire\b)"), 2.0),
        (_R(r"(left|moved (out of|away from)|moved from) our (area|authority|county|borough|city|district)|"
            r"(do|does|did) you (hold|have) (any )?(information|records?|details|trace)|"
            r"any (information|details) (on|about|regarding) (the |this )?(children|child|family)|"
            r"(registered|enrolled|admitted|on roll) (with|at|in) (any|a) (hampshire )?school|"
            r"(checking|check|establish|confirm|find out|see) (whether|if) (the |this )?(children|child|family|they)"), 1.5),
        (_R(r"(please|kindly) (let us know|confirm|advise)|(could|can) you (please )?(check|confirm|let us know|advise)|"
            r"(applications?|admissions?|enrol\w*) (in|to|with) (your|hampshire)"), 0.7),
    ),
    "ehe": (
        (_R(r"home[- ]?educat\w*|elective home|\bEHE\b|educat\w+ (him|her|them|my \w+|our \w+) at home|"
            r"educating at home|educated at home|home[- ]?school\w*|educat\w+ (\w+ ){0,4}otherwise than (at|in) school|teach(ing)? (him|her|them) (ourselves|myself)|"
            r"teach(ing)? (him|her|them|my \w+|our \w+) (ourselves |myself )?at home"), 2.0),
        (_R(r"(take|taking|took) (him|her|them|(?-i:[A-Z][a-z]+)|(my|our) (son|daughter|child|children|boy|girl|kids|twins)( \w+)?)"
            r"( \([^)]{0,15}\))? out of (school|[A-Z]\w+( [A-Z]\w+){0,3})\b(?! for (a |the )?(holiday|week|day|trip))"), 1.5),
        (_R(r"de-?regist\w+|remove (him|her|them|my \w+|our \w+) from (the |your )?(school )?roll|"
            r"withdraw(ing)? (him|her|them|my \w+|our \w+) from (school|the school)"), 2.0),
    ),
    "attendance": (
        (_R(r"penalty notice|fixed[- ]penalty|\bfined\b|\b(a|the|school|attendance|penalty) fines?\b|fines? (for|letter|issued)|"
            r"(issue|issued|issuing|give|given|get|got) (me |us |them )?(a |the )?fines?\b|prosecut\w+|legal intervention|"
            r"persistent(ly)? absen\w*|severe(ly)? absen\w*|attendance (panel|meeting|contract|"
            r"improvement|concerns?|issues?|is \d|has (dropped|fallen)|of \d)|term[- ]time holiday|"
            r"holiday in term|leave of absence|unauthorised (holiday|leave)|term[- ]time leave|"
            r"\d{1,3}(\.\d)?\s?(%|per\s?cent) attendance|attendance (of|at|is|was|has been|now) (\w+ )?\d|"
            r"attendance (at [\w' ]{2,40}? |this (term|year) |rate )?(is|was|has been|now|stands at|currently|has (dropped|fallen) to|"
            r"dropped to|fell to)( only| just| now| currently| at)? \d{1,3}(\.\d+)?\s?(%|per\s?cent)|take (us|me|them|parents?|the parents?) to court|"
            r"(regularly|persistently|often) late|lateness"), 2.0),
        (_R(r"unauthorised absences?\b(?! \(?code)|(doctor'?s|medical|gp|hospital) (notes?|letters?|evidence|appointments?)|"
            r"(off|absent) (sick|ill)\b"), 1.0),
        (_R(r"not missing|still (on (our|the) roll and )?attend\w*|is attending|(has been|is) in school|"
            r"missing (lessons|sessions|the odd day)|late (to|for) school|punctuality|"
            r"(goes|attends|comes) (in(to)? |to )?(school )?every (day|morning)|(is|she's|he's) in school every day"), 2.0),
    ),
    "reduced_hours": (
        (_R(r"reduced (timetable|hours|day|provision)|part[- ]time (timetable|provision|hours)|"
            r"reduced hours provision|\bnil return|modified timetable|(shortened|short) (day|timetable)|"
            r"(part[- ]?time|reduced|shortened|modified|flexible) time[- ]?table|part[- ]time[- ]table|(mornings?|afternoons?) only\b"), 3.0),
        (_R(r"attend\w* (school |us |college )?(only )?(one|two|three|four|\d) (mornings|afternoons|days|sessions|hours) (a|per|each) week|"
            r"alternative provision (for|on) (the other|\w+ days)"), 2.0),
        (_R(r"(in|attend\w*|at) school (from )?\d{1,2}([.:]\d{2})?\s?(am|pm)?\s?(to|until|till|-|\u2013) \d{1,2}([.:]\d{2})?|"
            r"\d{1,2}(\.\d)? hours? (a|per) (day|week)\b"), 1.5),
    ),
    "cme_referral": (
        (_R(r"children missing education|child(ren)? missing (from )?education|\bCME\b|missing education"), 1.0),
        (_R(r"whereabouts|not (been )?seen|unable to (contact|locate|trace|reach)|(could|can)(no|')t (contact|locate|trace)|"
            r"no (response|answer|contact)|not (on|registered (at|with)) (a|any) (school )?roll|not registered at (a|any) school|"
            r"not (attending|in) (any |a )?school|no school place|(never|not) (started|taken up)|without a school place|"
            r"not in (any )?education|home visit|moved out|left the (property|area|country|address)|"
            r"new (to the (uk|country|area)|arrivals?)|arrived (in|from)|awaiting (a )?(school )?place|"
            r"(not|n't|never) (been |yet )?(return\w* |back )?(to|in|at|going to|go to|gone to|attend\w*( at)?) (any |a |the )?school|"
            r"out of (school|education)|no school\b|(never|not|n't) (seem|seems|appear|appears) to (go|be|attend)\w* (to |at |in )?"
            r"(any |a )?school|(in the daytime|during (the )?school (day|hours)|in school hours)|(find|get|apply for|applied for|waiting for|without) (a |any )?school places?"), 1.5),
        (_R(r"refer(ral|ring|red)?\b|concern(s|ed)? (about|for|regarding)|worried about"), 0.7),
        (_R(r"applic\w+ (for|to) (a |the )?school|school (applications?|admissions?)|in-?year (application|admission)|"
            r"(is|are) (at home|home) (all day|already|every day|for)|which school"), 1.0),
    ),
    "other": (
        (_R(r"joining link|training|briefing|webinar|newsletter|survey|conference|meeting invit\w*|"
            r"freedom of information|\bFOI\b|subject access|complaint|invoice|unsubscribe"), 1.5),
        (_R(r"(send|e-?mail|forward|share) (me|us) (a copy of )?(the|a|your) ([\w-]+ ){0,3}(forms?|templates?|links?|guidance|"
            r"policy|procedures?|leaflets?|contact details)|(latest|up[- ]to[- ]date|newest) (version of (the|your) )?"
            r"([\w-]+ ){0,2}(forms?|templates?|guidance|procedures?)\b(?! (tutor|group|teacher|room|class))"), 1.5),
    ),
}
