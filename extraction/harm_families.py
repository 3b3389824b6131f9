"""Harm shown in words no fixed phrase foresees: word families that show a concern when they meet in one sentence
about the child (an injury and a body part, an older person and a lure, labour and control, ...), a harm vocabulary
of single words, and the ambiguous signals that are urgent beside unknown whereabouts.

Owns only the words; safeguarding.py decides where they count. A rule fires when every family it names matches in one
sentence (a family named twice needs two different words of it). The families are broad on purpose: a false alarm
costs an officer a minute, a miss a child.
"""
from __future__ import annotations

import re

_F = lambda s: re.compile(r"(?i)\b(?:" + s + r")\b")  # noqa: E731
_NT = r"(n'?t|nt| not)"  # "hasn't", "hasnt", "has not"
CHILD = (r"she|he|her|him|they|them|the (child|children|boy|girl|kids?|young person|pupil|student|baby|lad)|"
         r"(my|our|her|his|their) (son|daughter|niece|nephew|grandson|granddaughter|child|children|kids?|boy|girl)|"
         r"\d{1,2}[- ]?(year[- ]old|yo|yrs?)|aged? \d{1,2}|juvenile|minor|IP|subject|(young|little) (boy|girl|one|lad)|"
         r"toddler|infant")
INJURY = (r"bruis\w*|black eyes?|split lips?|burns?|burnt|scald\w*|fractur\w*|broken (arm|leg|wrist|ribs?|nose|finger|"
          r"collar ?bone|jaw)|bite marks?|welts?|lacerations?|swollen|swelling|grab marks|marks|cuts|injur(y|ies|ed)|"
          r"bleeding|concussion|lumps?|wounds?|(a|deep|nasty|fresh) cut|cut (on|to|above|below|across|over)|slash\w*|"
          r"hand ?prints?|finger ?marks|bandaged?|stitches|plaster cast")
BODY = (r"face|eyes?|cheeks?|lips?|mouth|nose|ears?|head|neck|throat|arms?|forearms?|wrists?|hands?|legs?|thighs?|"
        r"back|bottom|chest|stomach|tummy|ribs?|body|skin|shoulders?|femur|skull|tibia|humerus|frenulum")
ACCIDENT = (r"fell|falls?|falling|accident\w*|bike|scooter|trampoline|sports?|football|rugby|netball|hockey|cricket|"
            r"gymnastics|swimming|PE|games|climbing|tripped|slipped|beach|kitchen|on (a|the) (broken )?(glass|bottle|nail|"
            r"fence)|play(ing|ground)?|eczema|rash|operation|surgery")
EXPLAINED = r"says?|said|claim\w*|explain\w*|told|insist\w*|story|account"
VIOLENCE = (r"hit(s|ting)?|beat(s|en|ing)?|punch\w*|kick(s|ed|ing)?|slap\w*|smack\w*|thump\w*|shov\w+|push(ed|es|ing)|"
            r"grab\w*|throttl\w*|chok\w*|strangl\w*|threw|thrown|throw\w*|whip\w*|lash\w*|batter\w*|attack\w*|"
            r"assault\w*|smash\w*|scream\w*|screem\w*|shout\w*|yell\w*|bang\w*|crash\w*|fight(s|ing)?|threat\w*|"
            r"rows?|violen\w*|put the \w+ window through|black eyes?|knife|knocks? (her|him|them) (about|around)|stab\w*|"
            r"drown\w*|suffocat\w*|smother\w*|burn(s|ed|t)? (her|him|them)|held (her|his|their) head|punish\w*")
WITNESS = (r"in front of (the )?(children|kids|him|her|them|the (boy|girl|baby))|(kids|children|boy|girl|baby|little \w+) "
           r"(was|were) (in the (house|room|flat)|there|present|upstairs|watching|crying|in bed)|police (have|had) been|"
           r"police (came|called|attended|round)|(called|rang|phoned) the police|next door|crying|hides?|hiding|witness\w*|"
           r"(sees|saw|seen|watches|watched|hears|heard) (all (of )?)?(it|everything|the (fights?|rows?|violence))")
HOUSEHOLD = r"mum|mother|mam|wife|partner|girlfriend|her|she|the (kids|children|baby)|next door|for (him|her) to stop"
ADULT_AGE = (r"((who|he|she|they) (is|'s|was|are|says he is|claims to be) (aged )?(nearly |almost |about |around |over |"
             r"at least )?|aged |man of |men of |\()(1[89]|[2-6]\d)"
             r"(?!\s*(/|:|%|am|pm|st|nd|rd|th|\)))|(1[89]|[2-6]\d)[- ]?(year[- ]old|yr[- ]old|yo|y/o)|in (his|their) "
             r"(early |mid |late )?(twenties|thirties|forties|fifties|20s|30s|40s)|older (men|man|males?|boys|lads|"
             r"boyfriend|friends?|guys?)|(grown|adult) (men|man|males?)|strangers?|(someone|a man|men|a guy) (she|he|they) "
             r"(met|meets|chats? to|talks? to|has been talking to) online")
LURE = (r"(keep|kept|keeping) (it |this |them )?(a )?secret|loves? (her|him)|(gaming|dating|chat) (app|site)s?|vodka|booze|gifts?|presents?|new (clothes|phone|iphone|trainers|shoes|bag|jewellery)|money|cash|vapes?|alcohol|drinks?|"
        r"weed|cannabis|drugs|cigarettes|lifts?|takeaways?|hotel|pick(s|ed|ing)? (her|him|them) up|collect(s|ed|ing)? "
        r"(her|him|them)|in (his|their|a) (car|van|bmw|merc\w*|audi)|meet(s|ing)?|met up|"
        r"part(y|ies)|photos?|pictures?|pics|images|videos?|selfies|snaps|sex\w*|nude\w*|naked|"
        r"without (any )?clothes|no clothes|topless|underwear|explicit|kiss\w*|touch\w*|pregnan\w*")
LABOUR = (r"work(s|ed|ing)?|has to work|made to work|wash(es|ing)? (the )?cars|car ?wash|nail bar|cleaning|cooking|housework|cannabis farm|"
          r"factory|fields|sent out to|look(s|ing)? after (the )?(babies|children|kids|little ones)")
CONTROL = (r"all day|all night|every night|until (late|\d{1,2} ?(am|pm))|(is|was|are|were|gets?|got)( ?n'?t| not) paid|"
           r"every day|\d+[- ]hours?( shifts?| days?)?|shifts|for (food|a mattress|a bed)|"
           r"no (id|papers|documents|passport)|for no (pay|money)|unpaid|not paid|without pay|kept (in|at|inside|"
           r"indoors)|locked|not allowed|never (allowed|goes out|leaves)|owes?|debt|passport|documents|papers|"
           r"do(es)?( ?n'?t| not) speak english")
# (flag, families): every family must match in one sentence; CHILD marks the child as the one concerned.
HARM_TO = (r"(hit|hits|hitting|beat|beats|beating|hurt|hurts|hurting|kick\w*|punch\w*|slap\w*|smack\w*|burn\w*|"
           r"choke\w*|strangl\w*|drown\w*|stab\w*|threaten\w*( to \w+)?|knocks?|held|holds?|locks?|locked|drags?|"
           r"dragged|shakes?|shook|throws?|threw|pinned|pins|grabbed|grabs|shoved|pushed|twisted|bit|bites|squeezed|"
           r"strangled) (her|him|them)")
DRUGS = (r"crack|heroin|cocaine|coke|ketamine|spice|class [ab]|drugs?|supply|supplying|dealers?|dealing|county lines?|"
         r"trap|den|line|stash\w*|wraps|bags of|weed|cannabis")
FOUND_WITH = (r"(located|found|recovered|stopped|arrested|seen|picked up|caught)|with (two |several |three )?(adult|older)"
              r" (males?|men|lads)|in company (of|with)")
DEBT = r"owes?|owed|debt|work it off|pay (it |this |that )?back|paid back"
THREAT = r"threat\w*|stab\w*|hurt|kill|shoot|beat(en)? up|or else|scared|frightened|afraid"
YOUNG = r"baby|babies|toddler|infant|\d[- ]year[- ]old|(aged|age) [1-7]|little (one|ones|boy|girl)s?|nappy|nappies"
UNCARED = (r"left (\w+ )?(alone|on (his|her|their|there) own)|(is|are|was|were) (left )?(home )?alone|wandering|unsupervised|unattended|no adult|(aint|ain'?t|not|never|n'?t) been "
           r"changed|could (not|n'?t) be (woken|roused)|drunk|passed out|out of it|off (her|his|their) face|high|wasted|"
           r"comatose|skin and bone|soiled|sores|midnight|left (\w+ )?(crying|alone|screaming|in the (flat|house|car))|"
           r"for hours|at the pub|off (her|his|their) (head|face)|on something|under the "
           r"influence|lost (a lot of )?weight|missed (all|most) (his|her|their) (\w+ )?appointments")
MARRIED_TO = r"husband|wife|bride|groom|fianc\w*|suitor|marr(y|ied|iage)|nikah|engaged|engagement|betroth\w*"
TAKEN_AWAY = (r"(tak\w+|took|bring\w*|brought|sen[dt]|sending|fly\w*|flown|travel\w*) (her|him|them|the "
              r"(girl|boy|children|kids)|(my|our|their|his|her) (niece|nephew|grand\w+|\d+ year old|son|daughter|child|girl|"
              r"boy)) (out of (school|the country)|to|back to|abroad|overseas|"
              r"home to)|(tickets?|flights?) (are |is |have been |has been )?(booked|bought|paid for)|"
              r"(booked|bought) (the |her |his |their )?(tickets?|flights?)")
CCE_SIGNS = (r"balaclavas?|mopeds?|new (phones?|trainers|clothes|designer \w+)|(phones?|trainers) every week|"
             r"(second|two|several) phones|(out|stays? out) (at|till|until) all hours|all hours|"
             r"older (lads|boys)|gangs?|(unknown|older) (cars|lads|boys)|knives|knife|blades?|cash|wads of money")
IDEOLOGY = (r"invaded|invasion|replacement|take (it|them|our \w+|the country) back|race|infidels?|crusade|jihad|"
            r"traitors?|enemy|enemies|unbelievers|the west|immigrants|foreigners|the government")
FORCE = r"by force|violence|violent|fight|war|kill\w*|weapons?|attack\w*|by any means|bomb\w*|shoot\w*|burn\w*"
GIRL = r"she|her|girls?|daughters?|niece|granddaughter"
FGM_DONE = (r"[\"'\u2018\u201c][^\"'\u2019\u201d]{1,30}[\"'\u2019\u201d] done|the traditional thing|(procedure|"
            r"operation|ceremony|celebration|party) (for|on) (her|them|the girls)")
GIRLS_ABROAD = (r"visit\w* (relatives|family|grandparents?|(her|their) (nan|gran\w*|aunt\w*))|back home|abroad|overseas|"
                r"somalia|sudan|egypt|eritrea|ethiopia|guinea|sierra leone|mali|gambia|nigeria|kenya|djibouti|yemen|"
                r"iraq|indonesia|senegal|burkina faso|chad|liberia|the village")
CUSTOM_FGM = (r"like (all )?(the )?(other )?(girls|women) in (our|the|her|their) (family|village|culture|community)|"
              r"old (woman|lady) in the village|the cutter|circumcis\w*|initiation|becom\w* a (woman|proper \w+)|"
              r"rite of passage|tradition\w* (for|in) (girls|women)")
MAN = r"a man|men|a guy|a male|an adult|a stranger|different (men|males|adults)|various men|several (older )?men"
PAID_FOR = (r"pa(ying|ys|id) (her|him|them)|photo ?shoots?|modell?ing|(at|to) his (house|flat|place)|stay(s|ed|ing)? at his|"
            r"in his car|gives? (her|him|them) (\w+ and )?(money|vodka|alcohol|drugs|gifts|lifts|cash|food|weed|vapes?|phones?)|buys? (her|him|them)|every ni(gh)?te?|"
            r"comes and goes|coming and going")
LEFT_HOME = (r"left (the house|home) (at|on|last|after)|went out (at|on|last)|walked out|ran off|stormed out|(did|does|has|have)"
             + _NT + r" come (back )?home")
ONE_CHILD = (r"she|he|her|him|(my|our|her|his) (son|daughter|niece|nephew|grandson|granddaughter|boy|girl)|\d{1,2}[- ]?"
             r"(year[- ]old|yo|yrs?)")
NOT_SINCE = (r"(not|n'?t) (been )?(seen|heard from)|(nobody|no one|no-one) (has|have) (seen|heard)|no word|(not|n'?t) "
             r"(come|been) back|not answering")
CUT = r"(was|were|been|be|being|get|getting|had|have) cut|the cut|cutting"
UNDER_16 = (r"(1[0-5]|[5-9]) ?(yo|y/o|year[- ]old|yrs?)|(she|he) is (only |just )?(1[0-5]|[5-9])|aged (1[0-5]|[5-9])|"
            r"\((1[0-5]|[5-9])\)")
ROMANCE = r"relationship|boyfriend|girlfriend|seeing|dating|going out with|(his|her) (address|flat|house|place)|sex\w*"
FAMILY_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sexual_exploitation", (UNDER_16, ADULT_AGE, ROMANCE)),
    ("fgm", (CUT, GIRLS_ABROAD, GIRL)),
    ("sexual_exploitation", (MAN, PAID_FOR, CHILD)),
    ("missing_from_home", (LEFT_HOME, NOT_SINCE, ONE_CHILD)),
    ("criminal_exploitation", (CCE_SIGNS, CCE_SIGNS, CHILD)),
    ("radicalisation", (IDEOLOGY, FORCE)),
    ("fgm", (CUSTOM_FGM, GIRL)),
    ("fgm", (FGM_DONE, GIRLS_ABROAD)),
    ("abuse", (HARM_TO, CHILD)),
    ("criminal_exploitation", (DRUGS, FOUND_WITH, CHILD)),
    ("criminal_exploitation", (DEBT, THREAT)),
    ("neglect", (YOUNG, UNCARED)),
    ("forced_marriage", (MARRIED_TO, TAKEN_AWAY)),
    ("abuse", (INJURY, BODY)),
    ("domestic_abuse", (VIOLENCE, VIOLENCE, HOUSEHOLD)),
    ("domestic_abuse", (VIOLENCE, WITNESS)),
    ("sexual_exploitation", (ADULT_AGE, LURE)),
    ("trafficking", (LABOUR, CONTROL, CHILD)),
)
FAMILY_PATTERNS = {s: _F(s) for _, fams in FAMILY_RULES for s in fams}
# Family rules that do not count when the sentence explains the injury as an accident nobody vouched for.
ACCIDENTAL = _F(ACCIDENT)
VOUCHED = _F(EXPLAINED)
# An adult's age bound to a parent or professional ("Mum, who is 32"): not an older person around the child.
KIN_BEFORE_AGE = re.compile(r"(?i)\b(mum|mother|dad|father|parents?|step\w+|carers?|nan|gran\w*|grand\w+|aunt|uncle|"
                            r"teacher|social worker|officer|partner|husband|wife|i am|i'm|sister|brother)\W{1,3}(\w+\W+){0,3}$")

# Single vocabulary that shows a concern on its own (within a clause about the child, not negated or past).
VOCABULARY: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("abuse", _F(r"mak(e|es|ing) (her|him|them) (do|touch|watch) (things|stuff|it)|things (she|he|they) (does|do|did)"
                 r"( ?n'?t| not) like|(our|a|their) (little )?secret|private (parts|places?|area)|down there|"
                 r"touch(es|ed|ing)? (her|him|them) (inappropriately|down there|there)|held (her|his|their) head under")),
    ("abuse", _F(r"NAI|skeletal survey|spiral fracture|non-mobile|(begged|begs|pleaded|asked) (us|me|staff|them|him|her) not to (tell|phone|call|ring|contact|speak to) "
                 r"(home|mum|dad|(her|his|their) (mum|dad|parents|mother|father|step\w+))|get it (worse|when (she|he) "
                 r"gets? home)|(scared|afraid|frightened|terrified) (to go|of going|to return|to be sent) (back )?home|"
                 r"shuts? (him|her|them) in|(locks?|locked|shut) (him|her|them) (in|out)|by (his|her|their|the) (throat|"
                 r"neck|hair)|(made|forced|told) to (sleep|stay|stand|kneel|live|eat) (in|on|outside|out)|"
                 r"mak(e|es|ing) (him|her|them) (sleep|stand|kneel|stay) (in|on|outside|out)|as (a )?punishment|"
                 r"tied (to|up)|ties (him|her|them)|tie (him|her|them)|chained|restrained (to|with)|caged|"
                 r"(would|will|could)( ?n'?t| not) (say|explain) how (she|he|they) got (it|them|the \w+)|"
                 r"(asked|asks|begged) (if|whether|to) (she|he|they)? ?(could|can)? ?stay (at school|here|with us|behind)"
                 r"( tonight| overnight)?")),
    ("domestic_abuse", _F(r"(dad|father|step-?dad|stepfather|partner|boyfriend|husband|bloke|fella|man|ex)\W+(\w+\W+){0,2}"
                          r"(hits|hit|beats|beat|punch\w*|kicks?|kicked|slap\w*|strangl\w*|chok\w*|assault\w*|"
                          r"attack\w*|knocks?|batter\w*|hurts?|threaten\w*) ((her|his|their|the) )?(mum|mother|mam|"
                          r"wife|partner|girlfriend)|(the )?(kids|children) (are|were) (screaming|crying|terrified|hiding)|(me|her|mum) in "
                          r"front of (them|the (kids|children|boys|girls))")),
    ("sexual_exploitation", _F(r"blackmail\w*|sextort\w*|(threaten\w*|says? (he|they)'?ll|will) (to )?(share|send|post|leak) "
                               r"(it|them|the (video|photos?|pictures?|images?))")),
    ("criminal_exploitation", _F(r"(carrying|holding|keeping|delivering|moving|minding) (a |the )?(bags?|packages?|"
                                 r"parcels?|stuff|things|phones?|money) for (someone|some \w+|older \w+|them|a man|men)|"
                                 r"(lost|losing|lose) (the|a) (bag|package|parcel|stuff|drugs|gear)|(in )?(exchange|return) for "
                                 r"[\"'\u2018\u201c]?(favours|jobs|work|running|a favour)|(going|gone|went) country(?! (dancing|music|walks?|"
                                 r"walking|side|park|show|fair|club))")),
    ("radicalisation", _F(r"pledg\w* allegiance|training (him|her|them) (for|to) (an? )?(attack|fight)|plan\w* (an? )?"
                          r"attack|swastikas?|nazis?|neo-?nazi\w*|race war|white (power|supremac\w*)|mass shoot\w*|"
                          r"school shoot\w*|infidels?|unbelievers|kuffar|kafirs?|holy war|martyr\w*|caliphate|"
                          r"bomb[- ]?making|make (a )?bombs?|beheading\w*|manifesto|join the (fighters|brothers|fight)|"
                          r"terror(ist)? (attacks?|videos?|propaganda)|extreme (views|videos|groups?|material)|"
                          r"(insult\w*|disrespect\w*) the prophet|should (all )?die|deserve to die")),
    ("fgm", _F(r"(be|get|being|getting) (purified|cleansed|made clean|cut)|the cut|purif(y|ied|ication)|"
               r"(cut|cutting) (like|as) (her|their) (sister|mother|mum|cousins?)|traditional (procedure|operation)|"
               r"(have|having|get|getting|had) (her|them|the girls|(her|their) (\w+ )?daughters?)\W{0,2} ?[\"'\u2018\u201c]"
               r"(done|seen to|cut|cleaned|sorted)|(get|have|having|getting) (her|them|the girls|(her|their) (\w+ )?"
               r"daughters?) [\"'\u2018\u201c]?(closed|sewn|stitched|sealed|purified)")),
    ("neglect", _F(r"faltering growth|failure to thrive|weight (has )?(dropped|fallen|falling)|(poor|squalid|unsanitary) "
                   r"(home )?conditions|home conditions (are |were )?(poor|squalid|unsanitary)|no engagement with (health|"
                   r"services|professionals)|starving|always hungry|rotten teeth|untreated \w+( \w+)?|same clothes (all|every)|"
                   r"(takes?|took|steals?|stole|stealing|taking) food|scaveng\w*|underweight|malnourish\w*|"
                   r"crawling with|skin and bone|wandering (alone|the streets|on the road)|no (gas|electric|electricity|heating|hot water|food)( or \w+)?( in the (flat|house))?|"
                   r"left on (their|his|her) own|fend for (them|him|her)sel(f|ves)")),
    ("missing_from_home", _F(r"(has|have|had|is|are|was|were|did|does|do)" + _NT + r" (been |come |came |returned |gone |"
                             r"got |slept )?(back )?home(?![- ]?(educat|school|tutor|visit|address|office|working|schooled))|(kicked|thrown|chucked|turfed) (him|her|them) out|"
                             r"(kicked|thrown|chucked) out( of (home|the house))?|sleeping (rough|in (a|the) (park|"
                             r"stairwell|bus station)|on the streets?|outside)|living on the streets?|"
                             r"(does|do|did)" + _NT + r" (actually |really )?know where (she|he|they) (is|are|sleeps?|"
                             r"stays?|goes)( most| at)? nights?|(not|n'?t|never) heard from (him|her) since|(ran|run|running|runs|gone|went) "
                             r"off (again|for (the )?(night|days?|weekend))|(do|does|did)" + _NT + r" know (who|where) (she|he)"
                             r"('s| is|'re| are)? ?(with|staying|is)|(aint|ain'?t|not|never|n'?t|nt) (bin|been|come|came|gone|"
                             r"got|slept) (back )?home(?![- ]?(educat|school|tutor|visit|address|office|working))|"
                             r"(won'?t|wont|will not|refuses? to|does ?n'?t|does not) (say|tell (us|anyone|her mum|his mum)) where "
                             r"(she|he|they)('s| has| have|'ve| had)? been|disappear\w* for (days|nights|hours|the night|the "
                             r"weekend)|couch[- ]?surf\w*|threw (him|her|them) out|(walked|stormed|ran) out\b[^.]{0,30}\b(night|argument|row|fight)")),
    ("forced_marriage", _F(r"(she|he|her|him)( is| was| will be| would be|'s| are| were)?( going| due| about| set| "
                           r"supposed)?( to be| to get| be| being| getting| got| has been| had been) (wed|married|"
                           r"engaged|betrothed|promised)|(arrang\w+|plan\w*|organis\w+|want\w*|expect\w*|mak\w+|"
                           r"forc\w+|pressur\w+) (for )?(her|him) to (be |get )?(wed|marr\w+|engaged)|"
                           r"(promised|betrothed) (\w+ ){0,2}to (a|an|the|her|his|their|someone|\w+'s)|a (husband|groom) (is|was) (waiting|chosen|ready)|"
                           r"(find|found|chosen|picked|arranged) (a )?(husband|wife|match|groom|bride) for (her|him)|"
                           r"engagement (party|ceremony)|(a )?(match|marriage|engagement|rishta|proposal) (has been|was|is being|had been|is) "
                           r"(agreed|arranged|fixed|settled|accepted|found)|(agreed|arranged|fixed) (a )?(match|marriage|rishta)|(nikah|wedding|marriage|engagement|rishta) (is|has been|was) "
                           r"(planned|arranged|booked|set|fixed)|(before|after|until) (her|his) (own )?(wedding|nikah|marriage)|(her|his) "
                           r"(own )?(wedding|nikah|marriage) (is|will be|has been) (planned|arranged|booked|set|fixed|next)|(she|he) (will|is to|is "
                           r"going to|must|has to|is being made to|would) (marry|be married|wed)|to (be|get) (engaged|betrothed)")),
    ("domestic_abuse", _F(r"(is|are|was|were|got|been|being) (hitting|beating|hurting|assaulting|strangling|choking|kicking|"
                          r"punching|attacking) (me|her|mum|his wife|"
                          r"his partner)|(dash|marac)|(the )?(kids|children) (were|was) (in the (house|room|flat)|"
                          r"present|watching|there)|in front of the (kids|children)")),
    ("looked_after", _F(r"in (our|their|the council'?s|the local authority'?s) care|supported lodgings|UASC|"
                        r"accommodated (by|under)|placed out of (area|county)")),
    ("child_protection_plan", _F(r"(names? (was|were|has been|have been) )?(placed|put) on the (child protection |cp )?"
                                 r"register|ICPC|RCPC|(stepped up|escalated|moved) to (a )?(CP|child protection)|child protection register|on the (cp |child protection )?register (under|for)")),
    ("trafficking", _F(r"(does|doing|do|did) all (the|their|there) (housework|cooking|cleaning)|(not|n'?t) (their|there) "
                       r"(kid|child|daughter|son)|unrelated (adult|man|woman|male|female|adults)|(caring for|looking after) (the )?(household'?s?|"
                       r"family'?s?|their) (young |younger |small )?(children|kids|babies)|cannabis (grow|farm|factory)|li(ve|ves|ving) on (site|the premises)|sleeps? on the premises|"
                       r"brothels?|moved (around |between )[^.]{0,20}(cities|towns|addresses|houses)|re-?trafficked|(do(es)?|did)( ?n'?t| not) (seem|look|appear) (to be )?(related|like (family|relatives))|"
                       r"not (really|actually) (related|family)")),
)
SELF_HARM = _F(r"(kill|hurt|harm|cut)(ing|ting|s)? (him|her|them)sel(f|ves)|nothing to live for|no reason to live|"
               r"not worth living|wish(es|ed)? (she|he|they) (was|were) dead|suicid\w*|self[- ]harm\w*|overdos\w*|"
               r"(cutting|cuts|burning|scratching) (his|her|their) (arms?|wrists?|legs?|skin|thighs?)|"
               r"(does|do|did)" + _NT + r" want to (be alive|live|be here)|wants? to die|end (it all|(his|her|their) "
               r"(own )?life)|take (his|her|their) (own )?life|better off dead|(wants?|wanting|going|talk\w* about) to end it|"
               r"stash of (pills|tablets|paracetamol)")

# Signals that are ambiguous alone but urgent beside a statement that nobody knows where the child is.
WELFARE = _F(r"social workers?|(an )?open (case )?to (children'?s )?(social care|services|social services)|(known|open) to (children'?s )?(social care|services|social services|the police|police|"
             r"the MASH|MASH|early help)|police (are |were |have been )?(involved|aware|informed|called|notified)|"
             r"concerns? (for|about|regarding) (her|his|their|the (child|children)'?s?) (welfare|safety|well-?being)|"
             r"welfare (concerns?|checks?)|vulnerable(?! (learners?|pupils?|children|adults?|groups?) ?(team|officers?|service|lead|"
             r"manager|panel|&|and))|at risk|(worried|concerned|fears?|fearful) (about|for) (her|his|their|"
             r"the (child|children)'?s?) (safety|welfare|well-?being)")
WHEREABOUTS = _F(r"whereabouts (are |is )?(unknown|not known|unclear)|(unable|not able|cannot|can'?t|could ?n[o']?t|"
                 r"failed) (to )?(locate|find|trace|contact|reach|get hold of) (her|him|them|the (family|child\w*|mother|"
                 r"father|parents?|boy|girl)|mum|dad|anyone)|no ?(body|one|-one) (has|have) (seen|heard "
                 r"from)|(not|n'?t) been (seen|heard from)|(do|does|did)" + _NT + r" know where (she|he|they|the family|"
                 r"the child\w*) (is|are|has gone|have gone|live\w*)|no (contact|response)|phones? (is |are )?(dead|off|"
                 r"disconnected|switched off|not (working|connected))|not answering|without (a )?(trace|telling|notice|"
                 r"forwarding)|no forwarding address|(nobody|no one|no-one) knows where|house (has been |is )?(empty|vacant|"
                 r"boarded)|straight to voicemail|disappeared|vanished|lost (contact|touch)|trying to (trace|locate|find)|"
                 r"(had|heard) no (word|news)")

# A sentence about teaching or training: "an assembly on county lines", "a webinar on FGM".
COURSE = _F(r"scheme|the class (discussed|learned|learnt|studied|talked)|causes of|teach\w* (the )?(children|pupils|students|them) about|assembl(y|ies)|training(?! (him|her|them)\b)|courses?|webinars?|workshops?|awareness|e-?learning|briefings?|newsletters?|"
            r"leaflets?|posters?|curriculum|toolkit")
# A parent who fosters: "her mum is a foster carer" says nothing of the child's own status.
# So does a writer who fosters: "I'm a foster carer", "one of my foster children".
FOSTERING_PARENT = re.compile(r"(?i)\b((mum|mother|dad|father|parents?|she|he|they)\s+(is|are|was|were)|i\s*(['\u2019]m|am|was)|"
                              r"we\s*(['\u2019]re|are|were))\s+(an?\s+)?(approved\s+)?foster\s+(carers?|parents?)|"
                              r"\b(my|our)\s+(own\s+)?foster\s+(child(ren)?|kids?|sons?|daughters?|placements?)")
# Put out of a school, not a home: "got kicked out of Aldworth School", "thrown out of college".
SENT_FROM_SCHOOL = re.compile(r"(?i)\b(kick\w*|thrown|chucked|turfed|booted)\W{0,3}(out\W{0,3})?(of|from)\s+(\S+\s+){0,4}?"
                              r"(school|college|academy|class(room)?|lessons?|nursery|sixth form|PRU|the club)\b")
# An adult relative as the one marrying: "her older sister (24) got married", "his brother, 27, was married".
ADULT_RELATIVE = re.compile(r"(?i)\b(sister|brother|cousin|aunt|uncle|mum|mother|dad|father|parents?)\b[^.;]{0,12}?"
                            r"(\(?\s*(1[89]|[2-9]\d)\b|\b(older|elder|eldest|big) (sister|brother|cousin))")
