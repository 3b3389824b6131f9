"""The phrases that signal harm to a child, one pattern per safeguarding concern (the contract's flags).

Owns only the words; safeguarding.py decides where they count (negation, boilerplate, ended plans).
"""
from __future__ import annotations

import re

_P = lambda s: re.compile(r"(?i)\b(?:" + s + r")")  # noqa: E731

_WHO = r"(her|him|them|me|the (child|children|boy|girl|kids?)|\w+)"
_ADULT_MALE = r"(\d{2}[- ]?(year[- ]?old|yo)|older|adult|grown) (men|man|males?|boyfriend|friend)"
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sexual_exploitation", _P(
        r"sexual(ly)? exploit\w*|\bCSE\b|groom(ed|ing)\b|older boyfriend|sexting|indecent images|"
        r"nude (images|photos|pictures)|send(ing)? nudes|sextortion|prostitut\w*|(being )?(sold|traded) for sex|"
        r"(older|adult) (men|males) (giving|buying|picking|contacting|messaging)|"
        r"(picking|picked|pick|collecting|collected) (her|him|them) up[^.]{0,60}\b(older|adult|unknown) (men|males?|man)|"
        r"(older|adult|unknown) (men|males|man)[^.]{0,40}\b(picking|picked|collect\w*|cars?)\b|"
        r"(get|gets|got|getting) into (a |the )?cars? with (an? )?(older |unknown |adult )?(men|man|males?)|"
        r"(picked up|collected|driven) (by|in) (an )?(older|unknown|different) (men|males?|man|adults?)|"
        r"(gifts|money|phones?|alcohol)[^.]{0,40}from (older|unknown) (men|males?|adults?)|"
        r"(staying|stays|stayed|sleeping|sleeps|slept|spending (the )?nights?)[^.]{0,40}\b" + _ADULT_MALE + r"|"
        r"(flat|house|home|car) of (a|an) " + _ADULT_MALE + r"|"
        r"(sending|sent|send|sends|shared|sharing|share) (\w+ )?(pictures|photos|images|videos|pics)( of (herself|himself|themselves))? "
        r"to (a |an )?(man|men|adults?|older|someone|strangers?|people)|(man|men|adults?|someone|stranger|boy)s? (she|he|they) "
        r"(met|had met|has met|have met|was talking to|has been talking to|is talking to) online|asked (her|him) to meet (him|them|up)\b|"
        r"(offer\w*|give|gives|gave|giving|promis\w*|buy\w*|bought) (her|him) (money|cash|vapes?|alcohol|drugs|gifts|lifts|"
        r"cigarettes|weed)\b[^.]{0,40}\b(to meet|for (sex|pictures|photos|meeting)|if (she|he) (meets|met|sends?))|"
        r"(messages?|texts?|snaps?|dms?|chats?)( on (her|his) phone)? from (a|an) (\d{2}[- ]year[- ]old|older|adult|grown)|"
        r"(\d{1,2} weeks |is |got |now )pregnant\b|the father is (a |an )?(\d{2}[- ]year[- ]old|adult|older|grown)|"
        r"(car|van|vehicle)s? (driven|owned) by (an? )?(older |unknown |adult |different )?(men|man|males?|adults?)\b|"
        r"boyfriend[\"\u201d'\u2019]? (who is |who's |is |aged |in his )(early |mid |late )?(1[89]|[2-5]\d|twenties|thirties|forties)\b|"
        r"(man|men|males?) (aged |in (his|their) )(early |mid |late )?([2-5]\d|twenties|thirties|forties)\b")),
    ("criminal_exploitation", _P(
        r"criminal(ly)? exploit\w*|(?<!sexual )(?<!sexually )exploit(ed|ation)\b|\bCCE\b|county lines?|cuckoo(ed|ing)|"
        r"drug (running|dealing|debt|line)|(running|dealing|selling|sell|sells|sold|deal|deals|carrying|holding) "
        r"(drugs|cannabis|weed|class a|crack|heroin)|(made|forced|told|asked|used|groomed|paid|being used) to (sell|carry|deliver|hold|run|move|transport|drop off|courier)\b|"
        r"carrying (a knife|knives|weapons?|a machete)|gang (involvement|affiliated|activity|members?)|"
        r"involved (with|in) (a )?gangs?|trap house|plugging|large (amount|sums?) of (cash|money)|"
        r"(two|2|several|multiple|different) (mobile )?phones|class a\b|"
        r"(supply|supplying|supplies|supplied) (of )?(drugs|class a|cannabis|crack|heroin|cocaine)|"
        r"(a |an )?(second|extra|spare|burner|another|new) (mobile|phone|handset)s?\b(?! (number|contract))[^.]{0,40}"
        r"\b(would|will|could|can|cannot|won't|wouldn't|couldn't|can't|did not|didn't|refuse\w*) (not )?(explain|account for|say)|"
        r"burner phones?|(older|different|unknown) (lads|boys|youths|men|males)\b[^.]{0,20}\b(in|with|driving) (cars?|vans?)|"
        r"(dropped off|picked up|collected)\b[^.]{0,30}\bby (different |older |unknown )+(lads|boys|youths|men|males|people)|"
        r"carr(y|ies|ying) (large |big )?(amounts|sums|wads|rolls) of (money|cash)|\bwraps\b|deal bags|(possession|possessing) (of )?(an? )?(knife|knives|weapons?|blade|machete|drugs|"
        r"cannabis|cocaine|heroin|crack|class a)|(seen|caught|arrested|charged|stopped)\b[^.]{0,25}\b(dealing|supplying)|unexplained (cash|money|gifts|phones?|mobiles?|trainers|clothes|items)|"
        r"(cash|money|gifts|trainers|clothes)[^.]{0,25}\b(he|she|they) (would|will|could|can)(n't| not) (explain|account for)")),
    ("abuse", _P(
        r"physical(ly)? abus\w*|emotional(ly)? abus\w*|sexual(ly)? abus\w*|(child|sexual) abuse|"
        r"(being|been|was|were|is|are|get|gets|got) (hit(?! with (a|the) (fine|penalty|bill|charge))|beaten|hurt|assaulted|punched|kicked|slapped|strangled|burn(ed|t)|raped)|"
        r"(hit|hits|hitting|beat|beats|beating|punch\w*|kick(s|ed|ing)|slap\w*|strangl\w*|assault(s|ed|ing)) "
        r"(her|him|them|me|the (child|children|boy|girl|kids?))\b|"
        r"touch(es|ed|ing) (her|him|them|me)\b(?! base)|\brape[ds]?\b|sexual(ly)? assault\w*|"
        r"bruis(e|es|ing)|non-accidental injur\w*|disclos(ed|ure)[^.]{0,30}(abuse|hit|hurt|touch)|"
        r"section 47|\bs\.? ?47\b|in (immediate )?danger|(kill|hurt|batter|strangle) (you|her|him|them)\b|"
        r"(heard|hear|hears|hearing) (her|him|them|the (child|children|girl|boy|kids?)) (screaming|scream|crying out)|black eye|split lip|"
        r"(lost it|lost (his|her) temper|lashed out|flew at|went for) (with |at )?(him|her|them|the (child|children|boy|girl))\b|(gives?|gave|giving) (her|him|them|me) (a )?(beating|hiding|good hiding|kicking)|"
        r"(marks?|bruises?|welts|scratches|injur\w+) (on|to|around) (her|his|their) (neck|face|throat|eyes?|back|arms?|legs?|body|head)"
        r"(?![^.]{0,12}\b(from|due to|caused by|after|because of) (eczema|a fall|falling|football|sport|rugby|an accident|"
        r"(a |her |his )?bike|play\w*|a rash))|locked (in|up)|not allowed (out|to leave)|"
        r"threat(s|ened) to (kill|harm|hurt)|(scared|afraid|frightened) (to go home|of (her|his) (dad|father|mum|mother|"
        r"step\w+|uncle|brother|parents?))")),
    ("neglect", _P(
        r"neglect(ed|ful)?\b|(sleeping|slept|sleep|living|lives|live) (rough|in (a|the|their|his|her) (car|van|tent|park))|left alone|left (home )?unsupervised|home alone|no food|(hungry|unwashed|unkempt|malnourished)|"
        r"(house|home|flat|property) (is|was) (filthy|dirty|squalid|unhygienic|unsafe)|filthy|head lice|"
        r"no (heating|electricity|beds?)\b|(smell|smelt|smells|smelled|smelling) (strongly )?of (urine|wee|faeces|poo)|"
        r"(sleep|sleeps|sleeping|slept) on (the|a) (floor|mattress on the floor)|"
        r"(were|was|are|is|looked|look|looks|always|often) (very |really )?(dirty|unkempt|smelly|grubby)\b|nothing (to eat|in the (cupboards?|fridge))|"
        r"(asking|begging|ask|asks|asked|beg|begs|begged) (\w+ )?(for|neighbours for) (food|bread|something to eat|money for food)|"
        r"no (shoes|coat|socks)\b[^.]{0,30}\b(cold|freezing|snow|rain|winter)|"
        r"(cold|freezing|snow|rain|winter)[^.]{0,30}\b(no|without) (shoes|coats?|socks)|"
        r"(nobody|no one|no-one|not been|never been|hasn't been|has not been)( has)? (taken|took) (him|her|them) to (a |the )?"
        r"(doctor|gp|hospital|dentist)|(untreated|infected) (burns?|wounds?|injur\w+)")),
    ("domestic_abuse", _P(
        r"domestic (abuse|violence|incidents?)|a domestic\b|\bDV\b|\bDA\b (incident|concerns?)|"
        r"(fleeing|fled) (from )?(a |an )?(violent|abusive)|refuge\b|MARAC|coercive|controlling|"
        r"violent (partner|relationship|father|husband|boyfriend|ex)|(violence|abuse) (from|by) (her|his|their|the|mum's|mother's) "
        r"(husband|partner|father|dad|stepfather|step-?dad|ex|boyfriend)|safe house|(fled|fleeing|escaped|escaping) "
        r"(from )?(him|her (husband|partner)|the (father|perpetrator))|perpetrator|non-molestation|restraining order|"
        r"(dad|father|step-?dad|stepfather|partner|boyfriend|husband) (hits|hit|beats|beat|assaulted|attacked|threatens|threatened) "
        r"(mum|her mother|his mother|the mother|mother|his wife|his partner)|(scared|frightened|afraid|terrified) of (him|her (husband|partner)|his partner|dad|her ex)|"
        r"controls (all )?(the |her |their )?(money|finances|phones?)|(won't|will not|doesn't|does not|never) (let|allow) "
        r"(her|mum|his wife|his partner) (to )?(leave|go out|out|see anyone|have a phone)")),
    ("radicalisation", _P(
        r"radicali[sz]\w*|extremis[tm]\w*|(?-i:Prevent\b)(?! (duty|lead|strategy|programme|training)\b)|"
        r"Channel (panel|referral)|terroris[tm]\w*|(travel|going|gone) to (Syria|Iraq|a conflict zone)|"
        r"far[- ]right|jihad\w*|\bISIS\b|Daesh|al[- ]Qaeda|support(s|ed|ing)? (for )?violence|"
        r"(banned|proscribed|terrorist) (organi[sz]ation|group|movement)s?|(fight|die|kill|martyr\w*) for (the|their|a|our) "
        r"(cause|faith|brothers|caliphate|race)|(go|going|travel\w*|went) (abroad |overseas )?to (fight|join (the )?(fighters|them))")),
    ("trafficking", _P(
        r"traffick\w*|modern slavery|\bNRM\b|National Referral Mechanism|"
        r"not (their|her|his) (real |actual |birth )?(parents?|mother|father|family)|"
        r"debt bondage|forced (labour|to work)|unaccompanied asylum|domestic servitude|"
        r"(passport|documents|papers)[^.]{0,20}(taken|withheld|kept|confiscated)|"
        r"(takes?|taken|took|holds?|holding|keeps?|kept) (her|his|their) (passport|documents|papers)|"
        r"(does|doing|do) all the (housework|cooking|cleaning)|"
        r"(cleans?|cleaning|cooks?|cooking|looks? after|looking after)\b[^.]{0,30}\b(all day|all night|long hours|every day)|"
        r"(papers|passport|documents|\bID)\b[^.]{0,12}\b(are|is) (with|held by|kept by) (him|her|them|the (man|woman|adults?))|"
        r"(said|says|claims?|claimed|claiming) (that )?(he|she) (was|is) (her|his) (uncle|aunt|father|mother|cousin|brother|sister)"
        r"\b[^.]{0,40}\b(but|could ?n[o']t|unable|did ?n[o']t know)|working (long hours|in a (car wash|nail bar|"
        r"restaurant|takeaway|factory|shop))")),
    ("forced_marriage", _P(
        r"forced marriage|Forced Marriage Unit|(married|marry|marriage) (off|abroad)|"
        r"(taken|sent|go|going) (abroad|overseas|back home)? ?to (be )?marr(y|ied)|"
        r"(taking|take|taken|sending|send|sent) (her|him) (abroad|overseas|to \w+)[^.]{0,30}marr\w+|"
        r"arranged (a )?marriage|(get|gets|getting|be|being) married (to|abroad|overseas|when|during|in (\w+ )?"
        r"(pakistan|bangladesh|india|afghanistan|somalia|yemen|iraq|the summer|the holidays))|(is )?engaged to|"
        r"(marry|married) (a |an |her |his )?(cousin|older|relative)|wedding (abroad|overseas)|"
        r"(honour|honor)[- ]based (abuse|violence)|(was|were|got|has been|had been|have been) married\b|"
        r"married (there |abroad |overseas )?(last|this|in) \w+ to|"
        r"(found|chosen|picked|arranged|promised) (someone|a husband|a wife|a man|a match|a partner|a groom|a bride)[\"\u201d'\u2019]? for (her|him)\b|"
        r"promised (her|him) (to|in marriage)|(husband|wife|groom|bride) (she|he) (had )?(met|saw|meets) (for the first time|"
        r"only once|at the wedding)|(a )?(husband|wife) (has been|was|had been) (chosen|found|picked|arranged)")),
    ("fgm", _P(
        r"\bFGM\b|female genital mutilation|circumcis\w*|(be|being|get) cut\b|"
        r"(ceremony|procedure|operation|celebration|ritual|party|tradition) (to|that will|which will|so she can) "
        r"(become|make her|turn her into) (a |an )?(proper |real |true |grown )?(woman|girl|clean|pure)|"
        r"make her (clean|pure|a (proper|real|true) (girl|woman))|(initiation|coming[- ]of[- ]age|cutting) ceremony|"
        r"\b(sunna|khatna|khitan|tahara|bondo)\b|"
        r"(?<!self-harm )(?<!self harm )\bcutting\b(?! (her |his |their )?(own )?(hair|class|lessons?|back|down|off|"
        r"school|ties|contact|edge|out|arms?|wrists?|legs?|herself|himself)\b)")),
    ("missing_from_home", _P(
        r"missing from (home|care|(her|his|their) placement|placement)|"
        r"missing (person|episodes?|overnight|for \w+ (days|nights))|"
        r"reported (her |him |them )?(as )?missing( to (the )?police)?|"
        r"(ran|run|running) away|runaway|absconded|sofa[- ]surfing|sleeping rough|"
        r"has been missing|went missing|gone missing|go missing|going missing|goes missing|"
        r"(not|never|\w+n't) (been |returned |come |came |gone |went )?(back )?home(?![- ]?(educat|school|tutor|visit|office|address))|(stayed|staying|stays) out (all night|overnight)|"
        r"out all night|missing again|(police )?missing (person )?report|"
        r"(not|never|\w+n't) (slept|sleeping|sleep|stayed|staying|stay) (at|in) (home|the placement|(her|his|their) (placement|home|bed))|"
        r"(walked|stormed|ran|run|running|went) (out|off) (of|from) (the|her|his|their) (placement|foster (home|placement)|children'?s home|home)|"
        r"(not|never|\w+n't) (come|came|been|gone|returned) back (to (the|her|his|their) )?(placement|foster (home|carers?)|children'?s home|home)|"
        r"absent from (home|(her|his|their|the) (placement|foster home|children'?s home))|away from home overnight|"
        r"(stays?|stayed|staying|been) away (from home )?(overnight|for (\w+ )?(nights|days))|"
        r"(turns? up|comes? (back|home)|came (back|home)|returns?|returned) (\w+ )?(days|hours|nights) later|"
        r"(won't|will not|refuses? to|would not|wouldn't|doesn't|does not) (say|tell (us|anyone|her mum|his mum)) where (she|he|they) "
        r"(has|have|had|'s|'ve) been|\bAWOL\b|whereabouts (overnight|at night)|"
        r"(left|leaves|leaving) (the |her |his )?placement[^.]{0,40}(\bnot|n't) "
        r"(come|came|returned|been) back")),
    ("child_protection_plan", _P(
        r"child protection plan|\bCP plan|\bCPP\b|subject to (a )?(child )?protection|"
        r"on a plan (under|for)|child protection (category|conference)|\bon (a )?CPP?s?\b(?! (training|course))")),
    ("looked_after", _P(
        r"(?<!\band )(?<!\bwell )(?<!\bbeing )(?<!\bproperly )(?<!\bnicely )looked[- ]after(?! by (their |his |her |the |a )?(grand\w+|nan|nana|family|relatives?|parents?|mum|dad|"
        r"mother|father|aunt|uncle|friends?|neighbours?|sisters?|brothers?|childminders?))|\bLAC\b|\bCLA\b|child(ren)? in care|in (local authority |foster )?care\b|"
        r"foster (carer|placement|care|parents?)|section 20|\bs\.? ?20\b|care order|"
        r"residential (placement|home)|children'?s home|virtual school|in the care of (the |a )?(\w+ ){1,4}"
        r"(council|local authority)|placed with (foster )?carers|placed (here |in \w+ )?by (the )?(\w+ ){1,3}"
        r"(council|local authority)|(care|placing) authority")),
)
# Words that do not mean harm now although a phrase matches.
NOT_HARM = re.compile(
    r"(?i)missing\s+(school|education|lessons?|learning|sessions?|classes|the\s+start\s+of\s+term|out|days|registration)|"
    r"missing\s+from\s+(school|lessons?|class(es)?|education|registration|the\s+(school\s+)?register)|"
    r"children\s+missing\s+education|\bCME\b|missing\s+pupil"
)
