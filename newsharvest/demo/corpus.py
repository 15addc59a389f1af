# ruff: noqa: E501 - prose templates are data: their sentences stay whole
"""Original, template-built newswire prose for the demo sites, in English, German, French and Spanish.

Nothing here is copied from real articles: every sentence is a template with slots (people, places,
organisations, numbers, dates) that a seeded :class:`random.Random` fills in. The combinations are large
enough that thousands of articles get distinct paragraphs; :func:`write_story` still checks paragraph
uniqueness against a shared set, because the extraction and deduplication evals depend on it (two articles
may share text only where the site generator plans it, e.g. a shared long quote as a hard negative).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = [
    "LANGUAGES",
    "Event",
    "Language",
    "Story",
    "Topic",
    "extra_paragraph",
    "headline",
    "make_event",
    "person_name",
    "write_story",
]


@dataclass(frozen=True)
class Topic:
    """One kind of news story: its section, headline templates and the noun phrases that fill the prose."""

    key: str
    section: str
    headlines: tuple[str, ...]
    subject: str
    action: str
    affected: str
    metric: str
    orgs: tuple[str, ...]
    tags: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Language:
    """Everything language-specific the story writer needs: names, places, sentence templates, number style."""

    code: str
    first_names: tuple[str, ...]  # "Name:f" or "Name:m", so roles can agree in gender
    last_names: tuple[str, ...]
    places: tuple[str, ...]
    orgs2: tuple[str, ...]
    roles: tuple[str, ...]  # "masculine|feminine"
    quotes: tuple[str, ...]
    short_quotes: tuple[str, ...]
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    ordinals: tuple[str, ...]
    lead: tuple[str, ...]
    figures: tuple[str, ...]
    quote_lines: tuple[str, ...]
    followup: tuple[str, ...]
    background: tuple[str, ...]
    reaction: tuple[str, ...]
    outlook: tuple[str, ...]
    subheads: tuple[str, ...]
    title_suffixes: tuple[str, ...]  # appended when a plain headline is already taken
    topics: tuple[Topic, ...]
    decimal: str
    thousands: str
    million: str  # format string with {x}
    percent: str  # format string with {x}


@dataclass
class Event:
    """The entities of one news event; two stories built from one Event report the same event."""

    topic: Topic
    place: str
    org: str
    org2: str
    person: tuple[str, str, str]  # first, last, gender
    person2: tuple[str, str, str]
    role: str
    role2: str


@dataclass
class Story:
    """A finished story: clean headline, blocks of ("p"|"h2", text), tags and the template ids it used."""

    lang: str
    topic: str
    section: str
    title: str
    blocks: list[tuple[str, str]]
    tags: list[str]
    used: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        """The true article text: every block (paragraphs and subheadings) joined by a blank line."""
        return "\n\n".join(text for _, text in self.blocks)

    @property
    def teaser(self) -> str:
        """A listing teaser: the first words of the lead without its dateline, cut with an ellipsis."""
        lead = self.blocks[0][1]
        for dash in (" \u2014 ", " \u2013 "):
            if dash in lead[:80]:
                lead = lead.split(dash, 1)[1]
        words = lead.split()
        return " ".join(words[:18]) + "…"

    @property
    def words(self) -> int:
        return len(self.text.split())


def _t(*items: str) -> tuple[str, ...]:
    return tuple(items)


# --------------------------------------------------------------------------------------------- English
_EN_TOPICS = (
    Topic(
        "port",
        "business",
        _t(
            "Terminal expansion at {place} port delayed as costs climb {pct}",
            "Dock workers in {place} question timetable for new container terminal",
            "{place} port authority pushes back terminal plan by {small} months",
            "Shipping lines weigh costs as {place} terminal work stalls",
        ),
        "the expansion of the northern container terminal",
        "postpone the expansion of the northern container terminal",
        "dock workers",
        "cargo volumes",
        _t("the {place} Port Authority", "Corvane Logistics"),
        _t("shipping", "ports", "infrastructure"),
        _t(
            "Shipping lines have already begun diverting some vessels to neighbouring harbours, according to"
            " industry data compiled by {org2}.",
            "The northern quay, built in {year}, handles roughly {n} containers a week and is operating close"
            " to capacity.",
            "Dredging work on the approach channel was halted in {month} after engineers found the seabed"
            " softer than surveys had suggested.",
            "Hauliers say queues at the terminal gate now stretch for up to {small} hours on busy mornings.",
            "Freight rates on routes serving {place} have risen by {pct} since the start of the year.",
        ),
    ),
    Topic(
        "rail",
        "business",
        _t(
            "Rail workers in {place} vote for {small}-day strike over pay",
            "Commuters face weeks of disruption as rail talks collapse in {place}",
            "Regional rail operator offers {pct} pay rise to avert walkout",
            "Strike threat looms over {place} rail network after failed talks",
        ),
        "the planned rail strike",
        "call a 48-hour strike on regional lines",
        "commuters",
        "passenger numbers",
        _t("Meridian Rail", "the Rail Workers' Union"),
        _t("transport", "strikes", "rail"),
        _t(
            "Ballot papers were returned by {pct} of eligible members, the highest turnout in a decade.",
            "Replacement buses would cover only about a third of the usual timetable, the operator said.",
            "The dispute centres on a proposed change to shift patterns that would affect around {n} staff.",
            "Services on the coastal branch line were already reduced in {month} because of a shortage of"
            " drivers.",
            "Season ticket holders could be entitled to partial refunds if the walkout goes ahead.",
        ),
    ),
    Topic(
        "budget",
        "politics",
        _t(
            "{place} council proposes cuts to libraries and parks in draft budget",
            "Draft budget leaves {place} facing {amount} shortfall",
            "Councillors clash over spending plans as {place} budget vote nears",
            "Residents rally against proposed cuts in {place} budget",
        ),
        "the draft municipal budget",
        "cut spending on libraries and parks",
        "residents",
        "property tax revenue",
        _t("{place} City Council", "the Municipal Finance Committee"),
        _t("local government", "budget", "public services"),
        _t(
            "Under the proposals, opening hours at {small} branch libraries would be reduced to three days a"
            " week.",
            "The council's reserves have fallen to {amount}, their lowest level since {year}.",
            "Maintenance of public parks would be handed to a private contractor under a five-year deal.",
            "Officials said rising energy bills for public buildings accounted for much of the gap.",
            "A public consultation on the plans drew more than {n} written responses.",
        ),
    ),
    Topic(
        "water",
        "science",
        _t(
            "Reservoir levels near {place} fall to {pct} as dry spell continues",
            "Water restrictions extended across {place} region",
            "Farmers near {place} warn of crop losses under water limits",
            "Dry summer pushes {place} water board to emergency measures",
        ),
        "the emergency water restrictions",
        "extend the hosepipe ban across the region",
        "farmers",
        "reservoir levels",
        _t("the Regional Water Board", "the {place} Farmers' Association"),
        _t("drought", "water", "agriculture"),
        _t(
            "Rainfall over the past {small} months has been less than half the long-term average, according to"
            " the weather service.",
            "Leaking pipes account for an estimated {pct} of the water lost between treatment works and homes.",
            "Several small rivers in the uplands have stopped flowing altogether, conservation groups said.",
            "Irrigation licences for around {n} hectares of farmland are under review.",
            "Engineers are testing a temporary pipeline that would link two reservoirs {small}0 kilometres"
            " apart.",
        ),
    ),
    Topic(
        "health",
        "politics",
        _t(
            "Hospital waiting lists in {place} reach {n} as staff shortages bite",
            "Health board sets new targets to cut waiting times in {place}",
            "Nurses in {place} warn overtime is masking staff shortages",
            "{place} health board to open {small} new clinics to ease pressure",
        ),
        "the new waiting-list targets",
        "open evening clinics at three district hospitals",
        "patients",
        "waiting times",
        _t("the Regional Health Board", "{place} General Hospital"),
        _t("health", "hospitals", "public services"),
        _t(
            "The median wait for a routine knee operation has risen to {small}0 weeks.",
            "Around {n} nursing posts across the region are currently unfilled.",
            "Agency staff cost the health board {amount} in the last financial year.",
            "Ambulance handover times at the main hospital have improved slightly since {month}.",
            "The board plans to recruit trainees from abroad to fill the gaps in night shifts.",
        ),
    ),
    Topic(
        "tech",
        "business",
        _t(
            "Lumen Systems cuts forecast as revenue falls {pct}",
            "Shares in Lumen Systems slide after weak quarterly results",
            "Lumen Systems to shed {n} jobs in restructuring",
            "Chipmaker Lumen Systems warns of slower demand from carmakers",
        ),
        "the quarterly results",
        "cut its full-year forecast",
        "investors",
        "revenue",
        _t("Lumen Systems", "the Lumen Systems board"),
        _t("technology", "markets", "earnings"),
        _t(
            "Orders from carmakers, the company's largest customers, fell for the {ordinal} quarter running.",
            "The company's shares have lost about {pct} of their value since the start of the year.",
            "Lumen Systems employs about {n} people, most of them at its plant outside {place}.",
            "Spending on a new production line in {place} will be spread over three years instead of two.",
            "Net profit for the quarter came in at {amount}, below the average analyst estimate.",
        ),
    ),
    Topic(
        "coalition",
        "politics",
        _t(
            "Coalition vote postponed as party members demand changes",
            "Party leaders in {place} struggle to rescue coalition deal",
            "Coalition agreement faces revolt from {n} local branches",
            "Regional coalition talks enter {ordinal} week without deal",
        ),
        "the coalition agreement",
        "postpone the vote on the coalition agreement",
        "party members",
        "poll ratings",
        _t("the Social Progress Party", "the regional parliament"),
        _t("politics", "elections", "coalition"),
        _t(
            "The draft agreement runs to {n0} pages and includes commitments on housing, transport and"
            " schools.",
            "Support for the larger party has dropped by {pct} in recent polls.",
            "Negotiators met behind closed doors at a hotel in {place} for most of the week.",
            "A special party conference could be called if the executive fails to agree a date.",
            "The outgoing government remains in office in a caretaker role until a deal is signed.",
        ),
    ),
    Topic(
        "wind",
        "science",
        _t(
            "Offshore wind farm near {place} wins planning approval",
            "Fishing crews fear losses as {place} wind farm moves ahead",
            "Wind farm off {place} coast could power {n} homes, developers say",
            "Environmental review clears way for {place} offshore turbines",
        ),
        "the offshore wind farm",
        "approve the offshore wind farm off the coast",
        "fishing communities",
        "electricity prices",
        _t("Harlow Energy", "the Marine Planning Agency"),
        _t("energy", "climate", "fishing"),
        _t(
            "The project would involve {small}0 turbines anchored in water up to {small}0 metres deep.",
            "Cables would come ashore near {place} and run underground to a new substation.",
            "Seabird surveys carried out over {small} years found no evidence of major colonies in the area.",
            "The developer has offered a compensation fund of {amount} for affected fishing crews.",
            "Construction would begin no earlier than {year2}, subject to financing.",
        ),
    ),
    Topic(
        "flood",
        "world",
        _t(
            "Flood defences along river at {place} to get emergency funding",
            "Homeowners in {place} still waiting for repairs months after floods",
            "Insurers report surge in flood claims from {place}",
            "River levels at {place} prompt evacuation of {n} homes",
        ),
        "the flood defences along the river",
        "release emergency funding for flood defences",
        "homeowners",
        "insurance claims",
        _t("the River Authority", "the Ministry of the Interior"),
        _t("floods", "climate", "insurance"),
        _t(
            "The river peaked at {small}.{small} metres above its normal level during the worst of the storms.",
            "About {n} properties were flooded, many of them in low-lying streets near the old bridge.",
            "Temporary barriers were installed along a {small}-kilometre stretch of the embankment.",
            "Some families are still living in rented accommodation paid for by their insurers.",
            "Engineers say the existing walls were designed for a flood that was expected once a century.",
        ),
    ),
    Topic(
        "museum",
        "culture",
        _t(
            "Reopening of {place} city museum delayed until {year2}",
            "{place} museum restoration costs rise to {amount}",
            "Museum in {place} unveils restored galleries after {small}-year closure",
            "Visitors return as {place} museum reopens its north wing",
        ),
        "the reopening of the city museum",
        "postpone the reopening of the city museum",
        "visitors",
        "visitor numbers",
        _t("the City Museum Trust", "the Ministry of Culture"),
        _t("culture", "museums", "heritage"),
        _t(
            "Restorers discovered damp damage behind the panelling in {small} of the historic rooms.",
            "The collection includes more than {n} objects, many of them never shown to the public.",
            "Before it closed, the museum welcomed about {n} visitors a year.",
            "A temporary exhibition has been touring smaller towns in the region since {month}.",
            "The building's glass roof, added in {year}, will be replaced entirely.",
        ),
    ),
    Topic(
        "erosion",
        "science",
        _t(
            "Study finds coastline near {place} retreating faster than expected",
            "Researchers map cliff erosion along {place} coast",
            "Coastal erosion threatens {n} homes near {place}, study warns",
            "New data show sea walls slowing erosion at {place}",
        ),
        "the study on coastal erosion",
        "publish new findings on coastal erosion",
        "coastal residents",
        "erosion rates",
        _t("Northgate University", "the Coastal Research Institute"),
        _t("science", "climate", "coast"),
        _t(
            "Using drone surveys, the team measured an average loss of {small}.{small} metres of cliff a year.",
            "The study compared aerial photographs taken since {year} with new laser scans.",
            "Some stretches protected by rock armour lost almost no ground over the same period.",
            "The researchers recorded {n} separate landslips along a {small}0-kilometre stretch of coast.",
            "The findings were published in a peer-reviewed journal on {weekday}.",
        ),
    ),
    Topic(
        "housing",
        "business",
        _t(
            "Plans for {n} homes on former airfield at {place} approved",
            "Rents in {place} rise {pct} as housing shortage deepens",
            "Developer scales back {place} housing project amid rising costs",
            "Tenants in {place} push for limits on rent increases",
        ),
        "the housing development on the former airfield",
        "approve the housing development on the former airfield",
        "renters",
        "average rents",
        _t("the Civic Housing Trust", "Ashby Homes"),
        _t("housing", "property", "planning"),
        _t(
            "About a third of the new homes would be offered at below-market rents.",
            "The site has been empty since the airfield closed in {year}.",
            "Average rents for a two-bedroom flat in {place} now exceed {amount0} a month.",
            "The scheme includes a primary school, a health centre and {small} hectares of parkland.",
            "Building costs have risen by {pct} since the plans were first drawn up.",
        ),
    ),
    Topic(
        "trade",
        "world",
        _t(
            "Varnia and Estrelia resume trade talks after {small}-month pause",
            "Exporters hope for tariff relief as Varnia-Estrelia talks restart",
            "Trade talks between Varnia and Estrelia stall over farm tariffs",
            "Estrelia offers to cut tariffs on machinery in talks with Varnia",
        ),
        "the trade talks between Varnia and Estrelia",
        "resume trade talks with Estrelia",
        "exporters",
        "tariffs",
        _t("the Varnian trade ministry", "the Estrelian delegation"),
        _t("trade", "diplomacy", "tariffs"),
        _t(
            "Trade between the two countries was worth {amount} last year, down {pct} from its peak.",
            "Machinery, timber and dairy products account for most of the goods that cross the border.",
            "The previous round of talks broke down in {month} over quotas for farm products.",
            "Border crossings near {place} have seen long queues of lorries since new checks were introduced.",
            "Diplomats said the talks would continue at a technical level over the coming weeks.",
        ),
    ),
    Topic(
        "stadium",
        "sport",
        _t(
            "{place} Rovers unveil {amount} stadium redevelopment",
            "Fans question financing of {place} Rovers stadium plan",
            "{place} Rovers to play away from home during stadium rebuild",
            "Stadium rebuild could add {n} seats at {place} Rovers ground",
        ),
        "the stadium redevelopment",
        "press ahead with the stadium redevelopment",
        "season ticket holders",
        "match-day revenue",
        _t("{place} Rovers", "the Rovers Supporters' Trust"),
        _t("football", "sport", "stadiums"),
        _t(
            "The new main stand would raise capacity from about {n} to well over twenty thousand.",
            "The club finished {ordinal} in the league last season, its best result for years.",
            "During construction, home matches would be played at a ground {small}0 kilometres away.",
            "Supporters have been promised a vote on the design of the new stand.",
            "Match-day revenue has risen by {pct} since the club returned to the top division.",
        ),
    ),
)

EN = Language(
    code="en",
    first_names=_t(
        *(
            f"{n}:f"
            for n in [
                "Amara",
                "Priya",
                "Helena",
                "Ingrid",
                "Leila",
                "Nadia",
                "Clara",
                "Rosa",
                "Marta",
                "Elena",
                "Sofia",
                "Hannah",
                "Lucia",
                "Aisha",
                "Maren",
                "Zainab",
                "Freya",
                "Irene",
                "Noor",
                "Beatrix",
                "Orla",
                "Judith",
            ]
        ),
        *(
            f"{n}:m"
            for n in [
                "Daniel",
                "Tomasz",
                "Marcus",
                "Samuel",
                "Oskar",
                "Victor",
                "Ibrahim",
                "Felix",
                "Yusuf",
                "Jonah",
                "Kwame",
                "Rafael",
                "Tariq",
                "Benedikt",
                "Gabriel",
                "Theo",
                "Julian",
                "Mateo",
                "Callum",
                "Anton",
                "Declan",
                "Emeka",
            ]
        ),
    ),
    last_names=_t(
        *[
            "Okafor",
            "Lindqvist",
            "Whitcombe",
            "Castellano",
            "Brennan",
            "Haddad",
            "Novak",
            "Achterberg",
            "Kowalczyk",
            "Fairweather",
            "Delacroix",
            "Ishikawa",
            "Adeyemi",
            "Thornbury",
            "Vasquez",
            "Keller",
            "Ostrowski",
            "Marchetti",
            "Sandoval",
            "Holloway",
            "Petrossian",
            "Galloway",
            "Okonkwo",
            "Ferreira",
            "Albescu",
            "Quintero",
            "Halvorsen",
            "Rasmussen",
            "Ellery",
            "Varga",
            "Donnelly",
            "Ashford",
            "Menon",
            "Abernathy",
            "Calloway",
            "Szabo",
            "Mwangi",
            "Lachance",
        ]
    ),
    places=_t(
        *[
            "Westmere",
            "Port Alder",
            "Halden Cross",
            "Marlow Heath",
            "Eastgate",
            "Corran",
            "Fennick",
            "Lowmoor",
            "Saltby",
            "Carrow",
            "Ashby Reach",
            "Northfield",
            "Greyling",
            "Tamsworth",
            "Orrin",
            "Kestrel Point",
            "Millbrook",
            "Stonebridge",
            "Vennmouth",
            "Larkhill",
        ]
    ),
    orgs2=_t(
        "the National Statistics Office",
        "the Institute for Regional Economics",
        "Northgate University",
        "the Chamber of Commerce",
        "the Consumer Council",
        "Brightwater Analytics",
        "the Federation of Small Businesses",
        "the Audit Office",
    ),
    roles=_t(
        "a spokesman for {org}|a spokeswoman for {org}",
        "the head of {org}|the head of {org}",
        "a senior economist at {org2}|a senior economist at {org2}",
        "chair of the {place} residents' association|chair of the {place} residents' association",
        "the deputy mayor of {place}|the deputy mayor of {place}",
        "a member of the regional parliament|a member of the regional parliament",
        "a lawyer representing the {affected}|a lawyer representing the {affected}",
        "director of the {place} Chamber of Commerce|director of the {place} Chamber of Commerce",
        "a researcher at {org2}|a researcher at {org2}",
    ),
    quotes=_t(
        "We have listened carefully to everyone involved, and we believe this is the responsible course",
        "Nobody should pretend that this is a simple decision or that it comes without a cost",
        "The figures speak for themselves, and we cannot keep postponing the difficult choices",
        "Families here have been waiting for answers for far too long",
        "We were given almost no notice, and that is simply not acceptable",
        "This is not the end of the process, it is the beginning of a much longer conversation",
        "If we get this wrong, it is the people in {place} who will pay for it",
        "We asked for a fair hearing and, frankly, we did not get one",
        "There is still time to find a solution that works for everyone",
        "I have worked here for {small}0 years and I have never seen anything like it",
        "Our priority is to keep disruption to an absolute minimum",
        "The evidence was clear long before today, and it was ignored",
        "We will look at every option, including going to court",
        "People want certainty, and at the moment nobody can give them that",
        "It is a step in the right direction, but it is only a step",
        "What worries me most is the effect on the {affected}",
        "We have made mistakes in the past and we intend to learn from them",
        "Nobody I have spoken to in {place} thinks this plan will work as promised",
        "The money is there, the question is whether there is the political will",
        "We cannot solve a problem of this size in a single year",
        "These are real people with real bills to pay, not numbers on a spreadsheet",
        "It was the only responsible decision in the circumstances",
        "We expect to see the first results before the end of {month}",
        "Our members are angry, and I do not blame them",
    ),
    short_quotes=_t(
        "a missed opportunity",
        "long overdue",
        "deeply disappointing",
        "a sensible compromise",
        "rushed and poorly explained",
        "a good start",
        "a betrayal of earlier promises",
        "the least bad option",
        "an honest attempt to fix a hard problem",
        "a decision taken behind closed doors",
    ),
    weekdays=_t("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    months=_t(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    ordinals=_t("second", "third", "fourth", "fifth", "sixth"),
    lead=_t(
        "{Org} said on {weekday} that it would {action}, a decision likely to affect thousands of {affected}"
        " across the region.",
        "Officials at {org} confirmed on {weekday} plans to {action}, ending weeks of speculation about"
        " {subject}.",
        "{Org} has voted to {action}, according to documents reviewed by reporters, in a move the {affected}"
        " had warned against for months.",
        "The debate over {subject} sharpened on {weekday} after {org} announced it would {action}.",
        "{Org} is set to {action} after an internal review found that {metric} had changed by {pct} over the"
        " past year.",
        "In a decision that surprised many in {place}, {org} moved on {weekday} to {action}.",
        "{Org} will {action}, its leadership said late on {weekday}, after a meeting that lasted more than"
        " {small} hours.",
        "Pressure on {org} grew on {weekday} as it prepared to {action} despite objections from the"
        " {affected}.",
    ),
    figures=_t(
        "According to figures published in {month}, {metric} moved by {pct} compared with the same period"
        " last year.",
        "The plan is expected to cost about {amount}, roughly {pct} more than the original estimate.",
        "Around {n} {affected} are directly affected, according to estimates by {org2}.",
        "Figures for {metric} have now shifted for the {ordinal} consecutive quarter, reaching levels not seen"
        " since {year}.",
        "Analysts at {org2} estimate that the change could add {amount} to annual costs by {year2}.",
        "In {month} alone, {n} complaints were registered, nearly {small} times the monthly average.",
        "A survey of {n} households found that {pct} expected the situation to get worse.",
        "The budget set aside for {subject} has grown from {amount} to more than twice that figure.",
        "Data from {org2} suggest that {place} trails the national average on {metric} by about {pct}.",
        "Some {n} people signed a petition on the issue within the first {small} days.",
    ),
    quote_lines=_t(
        "“{quote},” said {person}, {role}.",
        "“{quote},” {person}, {role}, told reporters on {weekday}.",
        "{person}, {role}, said: “{quote}.”",
        "“{quote},” {person}, {role}, said in a statement.",
        "Speaking in {place} on {weekday}, {person}, {role}, said: “{quote}.”",
    ),
    followup=_t(
        "{last} added that {org} would publish its full reasoning in the coming weeks.",
        "{last} said the organisation had considered several alternatives before reaching its decision.",
        "Asked about the timing, {last} said the decision could not have been delayed any further.",
        "{last} declined to say whether further changes were being considered.",
        "{last} acknowledged that the {affected} had raised legitimate concerns.",
        "According to {last}, the first changes would be visible within {small} months.",
    ),
    background=_t(
        "The dispute over {subject} dates back to {year}, when {org} first raised concerns about {metric}.",
        "{place} has seen a series of similar disputes in recent years, most settled only after lengthy"
        " negotiations.",
        "A previous attempt to {action} was abandoned in {year} after a legal challenge.",
        "The issue has divided opinion in {place} for years, with local groups lining up on both sides.",
        "Critics have long argued that {org} underestimated the impact on the {affected}.",
        "Since {year}, {org} has commissioned {small} separate reports on the matter.",
        "The last comparable decision, taken in {year}, was partly reversed after public protests.",
        "Independent experts have repeatedly warned that delays would only make {subject} more expensive.",
    ),
    reaction=_t(
        "{person2}, {role2}, described the decision as “{short_quote}” and called for an independent review.",
        "Opposition members criticised the timing of the announcement, arguing that the {affected} had not"
        " been properly consulted.",
        "Representatives of the {affected} said they would study the proposals before deciding whether to"
        " challenge them.",
        "Not everyone was critical: {person2}, {role2}, called the plan “{short_quote}”.",
        "{person2}, {role2}, said the {affected} deserved clearer answers about what happens next.",
        "Business groups in {place} gave the announcement a cautious welcome.",
        "Within hours of the announcement, residents had organised a meeting at the town hall in {place}.",
        "{person2}, {role2}, said the proposals were “{short_quote}” but stopped short of opposing them.",
    ),
    outlook=_t(
        "A final decision is expected by the end of {month}, when the board of {org} meets again.",
        "{Org} said it would publish a detailed timetable within {small} weeks.",
        "The matter is due to return to the regional parliament on {weekday}, {day} {month}.",
        "Further talks are scheduled for next {weekday}, and both sides said they hoped to reach an agreement"
        " soon.",
        "A public hearing has been set for {day} {month} in {place}.",
        "Officials said a review of the first results would take place in {year2}.",
        "Campaigners have said they will keep up the pressure until the plans are withdrawn.",
        "{Org} is expected to set out its next steps at a press conference on {weekday}.",
    ),
    subheads=_t(
        "What happens next",
        "A long-running dispute",
        "Costs and consequences",
        "Reaction in {place}",
        "The numbers behind the decision",
        "Questions remain",
    ),
    title_suffixes=_t(
        " as {affected} wait for answers",
        ", with decision due in {month}",
        " after {small}-hour meeting",
        " — {n} affected, officials say",
        " amid row over {metric}",
    ),
    topics=_EN_TOPICS,
    decimal=".",
    thousands=",",
    million="{x} million euros",
    percent="{x} percent",
)

# ---------------------------------------------------------------------------------------------- German
_DE_TOPICS = (
    Topic(
        "port",
        "business",
        _t(
            "Ausbau des Hafens {place} verzögert sich um {small} Monate",
            "Hafenarbeiter in {place} zweifeln am Zeitplan für das neue Terminal",
            "Kosten für Containerterminal in {place} steigen um {pct}",
            "Reedereien weichen wegen Bauarbeiten in {place} auf andere Häfen aus",
        ),
        "die Erweiterung des nördlichen Containerterminals",
        "die Erweiterung des nördlichen Containerterminals zu verschieben",
        "Hafenarbeiter",
        "die Umschlagmengen",
        _t("die Hafenbehörde {place}", "die Reederei Korvan"),
        _t("Schifffahrt", "Häfen", "Infrastruktur"),
        _t(
            "Einige Reedereien leiten ihre Schiffe bereits in benachbarte Häfen um, wie Daten von {org2}"
            " zeigen.",
            "Der nördliche Kai wurde {year} gebaut und fertigt rund {n} Container pro Woche ab.",
            "Die Baggerarbeiten in der Zufahrt wurden im {month} gestoppt, weil der Boden weicher war als"
            " erwartet.",
            "Lkw-Fahrer berichten von Wartezeiten von bis zu {small} Stunden am Terminaltor.",
        ),
    ),
    Topic(
        "rail",
        "business",
        _t(
            "Bahnbeschäftigte in {place} stimmen für {small}-tägigen Streik",
            "Pendler in {place} drohen wochenlange Einschränkungen",
            "Regionalbahn bietet {pct} mehr Lohn, um Streik abzuwenden",
            "Tarifgespräche bei der Regionalbahn in {place} gescheitert",
        ),
        "der geplante Bahnstreik",
        "einen 48-stündigen Streik auf den Regionallinien auszurufen",
        "Pendler",
        "die Fahrgastzahlen",
        _t("die Nordbahn", "die Eisenbahnergewerkschaft"),
        _t("Verkehr", "Streik", "Bahn"),
        _t(
            "An der Urabstimmung beteiligten sich {pct} der Mitglieder, so viele wie seit zehn Jahren nicht.",
            "Der Ersatzverkehr mit Bussen könnte nur etwa ein Drittel des Fahrplans abdecken.",
            "Im Kern des Streits steht ein neues Schichtmodell, das rund {n} Beschäftigte betreffen würde.",
            "Auf der Küstenstrecke fallen schon seit dem {month} Züge wegen Personalmangels aus.",
        ),
    ),
    Topic(
        "budget",
        "politics",
        _t(
            "Stadtrat {place} plant Kürzungen bei Bibliotheken und Parks",
            "Haushaltsentwurf: {place} fehlen {amount}",
            "Streit um den Haushalt in {place} spitzt sich zu",
            "Bürger in {place} protestieren gegen geplante Kürzungen",
        ),
        "der Entwurf des städtischen Haushalts",
        "die Ausgaben für Bibliotheken und Parks zu kürzen",
        "Anwohner",
        "die Einnahmen aus der Grundsteuer",
        _t("der Stadtrat von {place}", "der Finanzausschuss"),
        _t("Kommunalpolitik", "Haushalt", "Daseinsvorsorge"),
        _t(
            "Nach den Plänen sollen {small} Stadtteilbibliotheken nur noch an drei Tagen geöffnet sein.",
            "Die Rücklagen der Stadt sind auf {amount} geschrumpft, den niedrigsten Stand seit {year}.",
            "Die Pflege der Grünanlagen soll für fünf Jahre an eine private Firma vergeben werden.",
            "An der öffentlichen Anhörung beteiligten sich mehr als {n} Bürgerinnen und Bürger.",
        ),
    ),
    Topic(
        "water",
        "science",
        _t(
            "Talsperren bei {place} nur noch zu {pct} gefüllt",
            "Wasserbeschränkungen in der Region {place} verlängert",
            "Landwirte bei {place} fürchten Ernteausfälle",
            "Trockenheit zwingt Wasserverband {place} zu Notmaßnahmen",
        ),
        "die Einschränkungen beim Wasserverbrauch",
        "das Verbot der Gartenbewässerung auf die ganze Region auszuweiten",
        "Landwirte",
        "die Pegelstände der Talsperren",
        _t("der regionale Wasserverband", "der Bauernverband {place}"),
        _t("Dürre", "Wasser", "Landwirtschaft"),
        _t(
            "In den vergangenen {small} Monaten fiel weniger als die Hälfte der üblichen Regenmenge.",
            "Durch undichte Leitungen gehen schätzungsweise {pct} des aufbereiteten Wassers verloren.",
            "Mehrere kleine Bäche im Bergland sind nach Angaben von Naturschützern ganz ausgetrocknet.",
            "Genehmigungen zur Bewässerung von rund {n} Hektar Ackerland werden überprüft.",
        ),
    ),
    Topic(
        "health",
        "politics",
        _t(
            "Wartelisten in Kliniken um {place} wachsen auf {n} Fälle",
            "Gesundheitsbehörde will Wartezeiten in {place} verkürzen",
            "Pflegekräfte in {place} warnen vor Personalmangel",
            "{small} neue Ambulanzen sollen Kliniken in {place} entlasten",
        ),
        "die neuen Vorgaben für Wartezeiten",
        "Abendsprechstunden in drei Kreiskliniken einzuführen",
        "Patienten",
        "die Wartezeiten",
        _t("die regionale Gesundheitsbehörde", "das Klinikum {place}"),
        _t("Gesundheit", "Kliniken", "Pflege"),
        _t(
            "Auf eine planbare Knieoperation warten Patienten inzwischen im Schnitt {small}0 Wochen.",
            "In der Region sind rund {n} Stellen in der Pflege unbesetzt.",
            "Für Leihpersonal gab die Behörde im vergangenen Jahr {amount} aus.",
            "Die Übergabezeiten der Rettungswagen haben sich seit dem {month} leicht verbessert.",
        ),
    ),
    Topic(
        "wind",
        "science",
        _t(
            "Windpark vor {place} erhält Genehmigung",
            "Fischer fürchten Einbußen durch Windpark vor {place}",
            "Windpark vor {place} soll {n} Haushalte versorgen",
            "Umweltprüfung macht Weg für Windräder vor {place} frei",
        ),
        "der geplante Windpark vor der Küste",
        "den Windpark vor der Küste zu genehmigen",
        "Fischer",
        "die Strompreise",
        _t("die Harlow Energie AG", "das Amt für Meeresplanung"),
        _t("Energie", "Klima", "Fischerei"),
        _t(
            "Geplant sind {small}0 Windräder in bis zu {small}0 Meter tiefem Wasser.",
            "Die Kabel sollen bei {place} an Land kommen und unterirdisch zu einem neuen Umspannwerk führen.",
            "Der Betreiber bietet einen Ausgleichsfonds von {amount} für betroffene Fischereibetriebe an.",
            "Mit dem Bau könnte frühestens {year2} begonnen werden.",
        ),
    ),
)

DE = Language(
    code="de",
    first_names=_t(
        *(
            f"{n}:f"
            for n in [
                "Anna",
                "Katrin",
                "Miriam",
                "Sabine",
                "Johanna",
                "Lea",
                "Friederike",
                "Ulrike",
                "Nora",
                "Ilse",
                "Greta",
                "Paula",
            ]
        ),
        *(
            f"{n}:m"
            for n in [
                "Jonas",
                "Matthias",
                "Henrik",
                "Lukas",
                "Stefan",
                "Florian",
                "Bernd",
                "Tobias",
                "Konrad",
                "Malte",
                "Jan",
                "Ole",
            ]
        ),
    ),
    last_names=_t(
        *[
            "Brandt",
            "Hoffmann",
            "Kessler",
            "Lindner",
            "Vogt",
            "Albrecht",
            "Seidel",
            "Hartmann",
            "Busch",
            "Reuter",
            "Engel",
            "Kaiser",
            "Winkler",
            "Lorenz",
            "Brinkmann",
            "Scholz",
            "Petersen",
            "Wendt",
            "Thiel",
            "Haas",
        ]
    ),
    places=_t(
        *[
            "Nordhafen",
            "Altmühlen",
            "Kessing",
            "Brakel am See",
            "Rotenau",
            "Wiesbach",
            "Lindholm",
            "Ostermoor",
            "Falkenried",
        ]
    ),
    orgs2=_t(
        "das Statistische Landesamt",
        "das Institut für Regionalwirtschaft",
        "die Universität Nordhafen",
        "die Industrie- und Handelskammer",
        "die Verbraucherzentrale",
        "der Landesrechnungshof",
    ),
    roles=_t(
        "Sprecher der Verwaltung|Sprecherin der Verwaltung",
        "Leiter der Abteilung für Planung|Leiterin der Abteilung für Planung",
        "Ökonom beim Institut für Regionalwirtschaft|Ökonomin beim Institut für Regionalwirtschaft",
        "Vorsitzender des Bürgervereins {place}|Vorsitzende des Bürgervereins {place}",
        "stellvertretender Bürgermeister von {place}|stellvertretende Bürgermeisterin von {place}",
        "Abgeordneter im Landtag|Abgeordnete im Landtag",
        "Anwalt der Betroffenen|Anwältin der Betroffenen",
    ),
    quotes=_t(
        "Wir haben allen Beteiligten genau zugehört und halten diesen Weg für verantwortbar",
        "Niemand sollte so tun, als sei das eine einfache Entscheidung",
        "Die Zahlen sprechen für sich, wir können schwierige Entscheidungen nicht ewig aufschieben",
        "Die Familien hier warten schon viel zu lange auf Antworten",
        "Wir wurden praktisch ohne Vorwarnung informiert, und das ist nicht hinnehmbar",
        "Das ist nicht das Ende, sondern der Anfang einer viel längeren Debatte",
        "Wenn wir das falsch machen, zahlen am Ende die Menschen in {place} dafür",
        "Es gibt noch Zeit für eine Lösung, die für alle funktioniert",
        "Unsere oberste Priorität ist es, die Belastungen so gering wie möglich zu halten",
        "Wir werden alle Möglichkeiten prüfen, auch den Gang vor Gericht",
        "Die Menschen wollen Klarheit, und die kann ihnen im Moment niemand geben",
        "Das ist ein Schritt in die richtige Richtung, aber eben nur ein Schritt",
        "Das Geld ist da, die Frage ist, ob der politische Wille da ist",
        "Ein Problem dieser Größe lässt sich nicht in einem einzigen Jahr lösen",
        "Unsere Mitglieder sind wütend, und ich kann das gut verstehen",
        "Erste Ergebnisse erwarten wir noch vor Ende {month}",
    ),
    short_quotes=_t(
        "eine verpasste Chance",
        "längst überfällig",
        "zutiefst enttäuschend",
        "ein vernünftiger Kompromiss",
        "überhastet und schlecht erklärt",
        "ein guter Anfang",
    ),
    weekdays=_t("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    months=_t(
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    ordinals=_t("zweiten", "dritten", "vierten", "fünften"),
    lead=_t(
        "{Org} hat am {weekday} angekündigt, {action}, was Tausende {affected} in der Region betreffen dürfte.",
        "{Org} bestätigte am {weekday} die Pläne, {action}, und beendete damit wochenlange Spekulationen.",
        "Die Debatte hat sich am {weekday} verschärft, nachdem {org} beschlossen hatte, {action}.",
        "{Org} plant nach einer internen Prüfung, {action}; demnach haben sich {metric} im vergangenen Jahr um"
        " {pct} verändert.",
        "Überraschend hat {org} am {weekday} entschieden, {action}, nach einer Sitzung von mehr als {small}"
        " Stunden.",
    ),
    figures=_t(
        "Nach im {month} veröffentlichten Zahlen haben sich {metric} im Vorjahresvergleich um {pct} verändert.",
        "Der Plan soll rund {amount} kosten, etwa {pct} mehr als ursprünglich veranschlagt.",
        "Nach Schätzungen sind rund {n} {affected} direkt betroffen.",
        "Allein im {month} gingen {n} Beschwerden ein, fast {small}-mal so viele wie im Monatsdurchschnitt.",
        "Bei einer Umfrage unter {n} Haushalten rechneten {pct} mit einer weiteren Verschlechterung.",
        "Fachleute schätzen, dass die Änderung bis {year2} zusätzliche Kosten von {amount} im Jahr"
        " verursachen könnte.",
        "Rund {n} Menschen unterschrieben innerhalb von {small} Tagen eine Petition zu dem Thema.",
    ),
    quote_lines=_t(
        "„{quote}“, sagte {person}, {role}.",
        "„{quote}“, sagte {person}, {role}, am {weekday} vor Journalisten.",
        "{person}, {role}, sagte: „{quote}.“",
        "„{quote}“, erklärte {person}, {role}, in einer schriftlichen Stellungnahme.",
    ),
    followup=_t(
        "{last} kündigte an, die vollständige Begründung in den kommenden Wochen zu veröffentlichen.",
        "Man habe vor der Entscheidung mehrere Alternativen geprüft, sagte {last}.",
        "Ob weitere Änderungen geplant sind, wollte {last} nicht sagen.",
        "Nach Angaben von {last} sollen erste Veränderungen innerhalb von {small} Monaten sichtbar werden.",
    ),
    background=_t(
        "Der Streit reicht bis ins Jahr {year} zurück, als erstmals Bedenken laut wurden.",
        "In {place} gab es in den vergangenen Jahren mehrere ähnliche Konflikte, die meist erst nach langen"
        " Verhandlungen beigelegt wurden.",
        "Ein früherer Versuch, {action}, war {year} nach einer Klage gescheitert.",
        "Das Thema spaltet die Menschen in {place} seit Jahren.",
        "Kritiker werfen der Verwaltung seit Langem vor, die Folgen für die {affected} zu unterschätzen.",
        "Seit {year} wurden zu der Frage {small} verschiedene Gutachten in Auftrag gegeben.",
    ),
    reaction=_t(
        "{person2}, {role2}, nannte die Entscheidung „{short_quote}“ und forderte eine unabhängige Prüfung.",
        "Die Opposition kritisierte den Zeitpunkt der Ankündigung, die {affected} seien nicht ausreichend"
        " angehört worden.",
        "Vertreter der {affected} wollen die Pläne zunächst prüfen, bevor sie über rechtliche Schritte"
        " entscheiden.",
        "Nicht alle äußerten sich kritisch: {person2}, {role2}, sprach von „{short_quote}“.",
        "Wirtschaftsverbände in {place} begrüßten die Ankündigung vorsichtig.",
    ),
    outlook=_t(
        "Eine endgültige Entscheidung wird bis Ende {month} erwartet.",
        "Ein detaillierter Zeitplan soll innerhalb von {small} Wochen vorgelegt werden.",
        "Der Landtag will sich am {day}. {month} erneut mit dem Thema befassen.",
        "Für den {day}. {month} ist eine öffentliche Anhörung in {place} angesetzt.",
        "Die Initiativen kündigten an, den Druck aufrechtzuerhalten, bis die Pläne zurückgezogen werden.",
    ),
    subheads=_t("Wie es weitergeht", "Ein langer Streit", "Kosten und Folgen", "Reaktionen in {place}"),
    title_suffixes=_t(
        " \u2013 Entscheidung im {month}", ": {n} Betroffene", " nach {small}-stündiger Sitzung"
    ),
    topics=_DE_TOPICS,
    decimal=",",
    thousands=".",
    million="{x} Millionen Euro",
    percent="{x} Prozent",
)

# ---------------------------------------------------------------------------------------------- French
_FR_TOPICS = (
    Topic(
        "port",
        "business",
        _t(
            "L'extension du port de {place} repoussée de {small} mois",
            "À {place}, les dockers doutent du calendrier du nouveau terminal",
            "Le coût du terminal à conteneurs de {place} grimpe de {pct}",
            "Des armateurs se détournent du port de {place} pendant les travaux",
        ),
        "l'extension du terminal à conteneurs nord",
        "reporter l'extension du terminal à conteneurs nord",
        "dockers",
        "les volumes de marchandises",
        _t("l'autorité portuaire de {place}", "la société Corvane Logistique"),
        _t("transport maritime", "ports", "infrastructures"),
        _t(
            "Plusieurs compagnies maritimes détournent déjà certains navires vers des ports voisins.",
            "Le quai nord, construit en {year}, traite environ {n} conteneurs par semaine.",
            "Les travaux de dragage ont été suspendus en {month}, le fond étant plus meuble que prévu.",
            "Les transporteurs routiers évoquent jusqu'à {small} heures d'attente à l'entrée du terminal.",
        ),
    ),
    Topic(
        "budget",
        "politics",
        _t(
            "{place} : le conseil municipal propose de réduire le budget des bibliothèques",
            "Budget de {place} : un trou de {amount}",
            "À {place}, le vote du budget divise les élus",
            "Des habitants de {place} manifestent contre les coupes budgétaires",
        ),
        "le projet de budget municipal",
        "réduire les dépenses consacrées aux bibliothèques et aux parcs",
        "habitants",
        "les recettes de la taxe foncière",
        _t("le conseil municipal de {place}", "la commission des finances"),
        _t("collectivités", "budget", "services publics"),
        _t(
            "Selon le projet, {small} bibliothèques de quartier n'ouvriraient plus que trois jours par semaine.",
            "Les réserves de la ville sont tombées à {amount}, leur plus bas niveau depuis {year}.",
            "L'entretien des jardins publics serait confié à une entreprise privée pour cinq ans.",
            "La consultation publique a recueilli plus de {n} contributions écrites.",
        ),
    ),
    Topic(
        "health",
        "politics",
        _t(
            "Hôpitaux de {place} : les listes d'attente atteignent {n} patients",
            "L'agence de santé veut réduire les délais d'attente à {place}",
            "À {place}, les infirmières alertent sur le manque de personnel",
            "{small} nouveaux centres de soins pour désengorger les hôpitaux de {place}",
        ),
        "les nouveaux objectifs de délais d'attente",
        "ouvrir des consultations du soir dans trois hôpitaux",
        "patients",
        "les délais d'attente",
        _t("l'agence régionale de santé", "le centre hospitalier de {place}"),
        _t("santé", "hôpitaux", "soins"),
        _t(
            "Le délai moyen pour une opération du genou programmée atteint désormais {small}0 semaines.",
            "Environ {n} postes d'infirmiers restent vacants dans la région.",
            "Le recours à l'intérim a coûté {amount} l'an dernier.",
            "Les délais de prise en charge aux urgences se sont légèrement améliorés depuis {month}.",
        ),
    ),
    Topic(
        "wind",
        "science",
        _t(
            "Le parc éolien au large de {place} obtient son permis",
            "Les pêcheurs de {place} inquiets face au projet éolien",
            "L'éolien en mer près de {place} pourrait alimenter {n} foyers",
            "L'étude environnementale ouvre la voie aux éoliennes de {place}",
        ),
        "le projet de parc éolien en mer",
        "autoriser le parc éolien au large des côtes",
        "pêcheurs",
        "les prix de l'électricité",
        _t("la société Harlow Énergie", "l'agence de planification maritime"),
        _t("énergie", "climat", "pêche"),
        _t(
            "Le projet prévoit {small}0 éoliennes ancrées par des fonds allant jusqu'à {small}0 mètres.",
            "Les câbles arriveraient à terre près de {place} avant de rejoindre un nouveau poste électrique.",
            "Le promoteur propose un fonds d'indemnisation de {amount} pour les pêcheurs concernés.",
            "Les travaux ne pourraient pas commencer avant {year2}.",
        ),
    ),
    Topic(
        "museum",
        "culture",
        _t(
            "La réouverture du musée de {place} repoussée à {year2}",
            "Musée de {place} : la restauration coûtera {amount}",
            "Le musée de {place} dévoile ses salles restaurées",
            "Les visiteurs de retour au musée de {place}",
        ),
        "la réouverture du musée municipal",
        "reporter la réouverture du musée municipal",
        "visiteurs",
        "les chiffres de fréquentation",
        _t("la fondation du musée", "le ministère de la Culture"),
        _t("culture", "musées", "patrimoine"),
        _t(
            "Les restaurateurs ont découvert de l'humidité derrière les boiseries de {small} salles historiques.",
            "La collection compte plus de {n} objets, dont beaucoup n'ont jamais été montrés au public.",
            "Avant sa fermeture, le musée accueillait environ {n} visiteurs par an.",
            "La verrière du bâtiment, ajoutée en {year}, sera entièrement remplacée.",
        ),
    ),
)

FR = Language(
    code="fr",
    first_names=_t(
        *(
            f"{n}:f"
            for n in [
                "Camille",
                "Élise",
                "Margaux",
                "Sophie",
                "Claire",
                "Louise",
                "Agathe",
                "Nathalie",
                "Inès",
                "Juliette",
            ]
        ),
        *(
            f"{n}:m"
            for n in [
                "Julien",
                "Antoine",
                "Mathieu",
                "Olivier",
                "Étienne",
                "Bastien",
                "Hugo",
                "Rémi",
                "Thibault",
                "Laurent",
            ]
        ),
    ),
    last_names=_t(
        *[
            "Lefèvre",
            "Marchand",
            "Garnier",
            "Rousseau",
            "Fontaine",
            "Chevalier",
            "Lambert",
            "Girard",
            "Mercier",
            "Bonnet",
            "Dupuis",
            "Perrin",
            "Renaud",
            "Vasseur",
            "Collin",
            "Barbier",
        ]
    ),
    places=_t(
        *[
            "Saint-Aubin-sur-Mer",
            "Valmont",
            "Roquebrune-les-Pins",
            "Bellerive",
            "Montclar",
            "Port-Lunel",
            "Castelvieux",
        ]
    ),
    orgs2=_t(
        "l'institut régional de statistique",
        "l'université de Bellerive",
        "la chambre de commerce",
        "l'association des consommateurs",
        "la Cour régionale des comptes",
    ),
    roles=_t(
        "porte-parole de l'institution|porte-parole de l'institution",
        "directeur de la planification|directrice de la planification",
        "économiste à l'institut régional de statistique|économiste à l'institut régional de statistique",
        "président du comité de quartier de {place}|présidente du comité de quartier de {place}",
        "adjoint au maire de {place}|adjointe au maire de {place}",
        "avocat des plaignants|avocate des plaignants",
    ),
    quotes=_t(
        "Nous avons écouté attentivement tous les acteurs et nous pensons que c'est la voie la plus responsable",
        "Personne ne doit faire croire qu'il s'agit d'une décision simple",
        "Les chiffres parlent d'eux-mêmes, nous ne pouvons plus repousser les choix difficiles",
        "Les familles attendent des réponses depuis bien trop longtemps",
        "Nous avons été prévenus au dernier moment, et ce n'est pas acceptable",
        "Ce n'est pas la fin du processus, c'est le début d'une discussion beaucoup plus longue",
        "Si nous nous trompons, ce sont les habitants de {place} qui en paieront le prix",
        "Il est encore temps de trouver une solution qui convienne à tous",
        "Notre priorité est de limiter au maximum les perturbations",
        "Nous examinerons toutes les options, y compris un recours en justice",
        "Les gens veulent des certitudes, et personne ne peut leur en donner aujourd'hui",
        "C'est un pas dans la bonne direction, mais ce n'est qu'un pas",
        "L'argent existe, la question est de savoir s'il y a une volonté politique",
        "Nos adhérents sont en colère, et je les comprends",
    ),
    short_quotes=_t(
        "une occasion manquée",
        "attendu depuis longtemps",
        "profondément décevant",
        "un compromis raisonnable",
        "précipité et mal expliqué",
        "un bon début",
    ),
    weekdays=_t("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    months=_t(
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    ordinals=_t("deuxième", "troisième", "quatrième", "cinquième"),
    lead=_t(
        "{Org} a annoncé {weekday} son intention de {action}, une décision qui devrait toucher des milliers de"
        " {affected} dans la région.",
        "{Org} a confirmé {weekday} son projet de {action}, mettant fin à des semaines de spéculations.",
        "Le débat sur {subject} s'est durci {weekday} après que {org} a décidé de {action}.",
        "{Org} s'apprête à {action} après un audit interne selon lequel {metric} ont varié de {pct} en un an.",
        "À la surprise générale, {org} a choisi {weekday} de {action}, à l'issue d'une réunion de plus de"
        " {small} heures.",
    ),
    figures=_t(
        "Selon des chiffres publiés en {month}, {metric} ont évolué de {pct} sur un an.",
        "Le projet devrait coûter environ {amount}, soit {pct} de plus que l'estimation initiale.",
        "Quelque {n} {affected} seraient directement concernés, selon les estimations disponibles.",
        "Rien qu'en {month}, {n} réclamations ont été enregistrées, près de {small} fois la moyenne mensuelle.",
        "Dans un sondage mené auprès de {n} foyers, {pct} des personnes interrogées s'attendent à une"
        " dégradation.",
        "Selon des experts, la mesure pourrait entraîner {amount} de coûts supplémentaires par an d'ici"
        " {year2}.",
        "Une pétition a réuni quelque {n} signatures en {small} jours.",
    ),
    quote_lines=_t(
        "« {quote} », a déclaré {person}, {role}.",
        "« {quote} », a affirmé {person}, {role}, devant la presse {weekday}.",
        "{person}, {role}, a déclaré : « {quote}. »",
        "« {quote} », a indiqué {person}, {role}, dans un communiqué.",
    ),
    followup=_t(
        "{last} a ajouté que l'argumentaire complet serait publié dans les prochaines semaines.",
        "Selon {last}, plusieurs solutions ont été étudiées avant de trancher.",
        "{last} n'a pas souhaité dire si d'autres changements étaient à l'étude.",
        "D'après {last}, les premiers effets devraient être visibles d'ici {small} mois.",
    ),
    background=_t(
        "Le conflit remonte à {year}, lorsque les premières inquiétudes ont été exprimées.",
        "{place} a connu plusieurs différends similaires ces dernières années, souvent réglés après de longues"
        " négociations.",
        "Une précédente tentative de {action} avait été abandonnée en {year} à la suite d'un recours.",
        "Le sujet divise les habitants de {place} depuis des années.",
        "Depuis {year}, {small} rapports différents ont été commandés sur la question.",
    ),
    reaction=_t(
        "{person2}, {role2}, a qualifié la décision d'« {short_quote} » et réclamé une expertise indépendante.",
        "L'opposition a critiqué le calendrier de l'annonce, estimant que les {affected} n'avaient pas été"
        " suffisamment consultés.",
        "Les représentants des {affected} veulent étudier les propositions avant d'envisager un recours.",
        "Les critiques n'ont pas été unanimes : {person2}, {role2}, a parlé d'« {short_quote} ».",
        "Les milieux économiques de {place} ont accueilli l'annonce avec prudence.",
    ),
    outlook=_t(
        "Une décision définitive est attendue d'ici la fin {month}.",
        "Un calendrier détaillé doit être présenté dans un délai de {small} semaines.",
        "Le conseil régional doit de nouveau examiner le dossier le {day} {month}.",
        "Une réunion publique est prévue le {day} {month} à {place}.",
        "Les collectifs ont promis de maintenir la pression jusqu'au retrait du projet.",
    ),
    subheads=_t("Et maintenant ?", "Un conflit ancien", "Coûts et conséquences", "Réactions à {place}"),
    title_suffixes=_t(
        " : décision attendue en {month}", " ; {n} personnes concernées", " après {small} heures de réunion"
    ),
    topics=_FR_TOPICS,
    decimal=",",
    thousands="\u202f",
    million="{x} millions d'euros",
    percent="{x} %",
)

# --------------------------------------------------------------------------------------------- Spanish
_ES_TOPICS = (
    Topic(
        "port",
        "business",
        _t(
            "La ampliación del puerto de {place} se retrasa {small} meses",
            "Los estibadores de {place} dudan del calendario de la nueva terminal",
            "El coste de la terminal de contenedores de {place} sube un {pct}",
            "Las navieras desvían buques por las obras en el puerto de {place}",
        ),
        "la ampliación de la terminal de contenedores norte",
        "aplazar la ampliación de la terminal de contenedores norte",
        "estibadores",
        "los volúmenes de carga",
        _t("la Autoridad Portuaria de {place}", "la empresa Corvane Logística"),
        _t("transporte marítimo", "puertos", "infraestructuras"),
        _t(
            "Varias navieras ya desvían algunos buques hacia puertos cercanos, según datos del sector.",
            "El muelle norte, construido en {year}, mueve unos {n} contenedores por semana.",
            "Las obras de dragado se detuvieron en {month} porque el fondo era más blando de lo previsto.",
            "Los transportistas hablan de esperas de hasta {small} horas a la entrada de la terminal.",
        ),
    ),
    Topic(
        "water",
        "science",
        _t(
            "Los embalses de {place} caen al {pct} de su capacidad",
            "Se amplían las restricciones de agua en la comarca de {place}",
            "Los agricultores de {place} temen perder la cosecha",
            "La sequía obliga a medidas de emergencia en {place}",
        ),
        "las restricciones de agua de emergencia",
        "extender la prohibición de riego de jardines a toda la comarca",
        "agricultores",
        "las reservas de los embalses",
        _t("la Junta Regional del Agua", "la asociación de regantes de {place}"),
        _t("sequía", "agua", "agricultura"),
        _t(
            "En los últimos {small} meses ha llovido menos de la mitad de lo habitual.",
            "Las fugas en la red suponen la pérdida de aproximadamente un {pct} del agua tratada.",
            "Varios arroyos de la sierra se han secado por completo, según grupos ecologistas.",
            "Se están revisando las licencias de riego de unas {n} hectáreas de cultivo.",
        ),
    ),
    Topic(
        "housing",
        "business",
        _t(
            "Aprobadas {n} viviendas en el antiguo aeródromo de {place}",
            "Los alquileres en {place} suben un {pct}",
            "La promotora recorta el proyecto de viviendas de {place}",
            "Los inquilinos de {place} piden limitar las subidas del alquiler",
        ),
        "las viviendas previstas en el antiguo aeródromo",
        "aprobar las viviendas en el antiguo aeródromo",
        "inquilinos",
        "los alquileres medios",
        _t("la Fundación de Vivienda Cívica", "la promotora Ashby Hogares"),
        _t("vivienda", "urbanismo", "alquiler"),
        _t(
            "Alrededor de un tercio de las nuevas viviendas se ofrecería por debajo del precio de mercado.",
            "El terreno está vacío desde que el aeródromo cerró en {year}.",
            "El plan incluye un colegio, un centro de salud y {small} hectáreas de parque.",
            "Los costes de construcción han subido un {pct} desde que se presentó el proyecto.",
        ),
    ),
    Topic(
        "stadium",
        "sport",
        _t(
            "El {place} Atlético presenta la reforma de su estadio por {amount}",
            "Los aficionados cuestionan la financiación del estadio del {place} Atlético",
            "El {place} Atlético jugará fuera de casa durante las obras",
            "La reforma del estadio del {place} Atlético añadiría {n} asientos",
        ),
        "las obras del nuevo estadio",
        "seguir adelante con la reforma del estadio",
        "abonados",
        "los ingresos por taquilla",
        _t("el {place} Atlético", "la peña de aficionados del club"),
        _t("fútbol", "deporte", "estadios"),
        _t(
            "La nueva tribuna elevaría el aforo de unas {n} localidades a más de veinte mil.",
            "El club terminó {ordinal} en la liga la temporada pasada, su mejor resultado en años.",
            "Durante las obras, los partidos se jugarían en un campo a {small}0 kilómetros.",
            "Los ingresos por taquilla han crecido un {pct} desde el regreso a primera división.",
        ),
    ),
    Topic(
        "health",
        "politics",
        _t(
            "Las listas de espera en los hospitales de {place} llegan a {n} pacientes",
            "Sanidad fija nuevos objetivos para reducir las esperas en {place}",
            "Las enfermeras de {place} alertan de la falta de personal",
            "{small} nuevos centros de salud para aliviar los hospitales de {place}",
        ),
        "los nuevos objetivos de listas de espera",
        "abrir consultas de tarde en tres hospitales comarcales",
        "pacientes",
        "los tiempos de espera",
        _t("el Servicio Regional de Salud", "el Hospital General de {place}"),
        _t("sanidad", "hospitales", "servicios públicos"),
        _t(
            "La espera media para una operación de rodilla programada ya alcanza las {small}0 semanas.",
            "En la región hay unas {n} plazas de enfermería sin cubrir.",
            "El personal temporal costó {amount} el año pasado.",
            "Los tiempos de atención en urgencias han mejorado ligeramente desde {month}.",
        ),
    ),
)

ES = Language(
    code="es",
    first_names=_t(
        *(
            f"{n}:f"
            for n in [
                "Lucía",
                "Carmen",
                "Alba",
                "Paula",
                "Marina",
                "Beatriz",
                "Noelia",
                "Irene",
                "Rocío",
                "Ainhoa",
            ]
        ),
        *(
            f"{n}:m"
            for n in [
                "Javier",
                "Álvaro",
                "Sergio",
                "Pablo",
                "Andrés",
                "Diego",
                "Iñaki",
                "Ramón",
                "Tomás",
                "Gonzalo",
            ]
        ),
    ),
    last_names=_t(
        *[
            "Ortega",
            "Navarro",
            "Medina",
            "Herrera",
            "Castillo",
            "Vidal",
            "Serrano",
            "Domínguez",
            "Morales",
            "Delgado",
            "Cabrera",
            "Fuentes",
            "Iglesias",
            "Molina",
            "Pastor",
            "Rojas",
        ]
    ),
    places=_t(
        *[
            "Valdeluna",
            "San Esteban del Río",
            "Puertollano Bajo",
            "Almenara",
            "Villaseca",
            "Costanera",
            "Riofrío",
        ]
    ),
    orgs2=_t(
        "el Instituto Regional de Estadística",
        "la Universidad de Almenara",
        "la Cámara de Comercio",
        "la asociación de consumidores",
        "el Tribunal de Cuentas regional",
    ),
    roles=_t(
        "portavoz de la institución|portavoz de la institución",
        "director de planificación|directora de planificación",
        "economista del Instituto Regional de Estadística|economista del Instituto Regional de Estadística",
        "presidente de la asociación vecinal de {place}|presidenta de la asociación vecinal de {place}",
        "teniente de alcalde de {place}|teniente de alcalde de {place}",
        "abogado de los afectados|abogada de los afectados",
    ),
    quotes=_t(
        "Hemos escuchado con atención a todas las partes y creemos que es el camino más responsable",
        "Nadie debería fingir que se trata de una decisión sencilla",
        "Las cifras hablan por sí solas, no podemos seguir aplazando las decisiones difíciles",
        "Las familias llevan demasiado tiempo esperando respuestas",
        "Nos avisaron prácticamente sin antelación, y eso no es aceptable",
        "Esto no es el final del proceso, sino el comienzo de un debate mucho más largo",
        "Si nos equivocamos, serán los vecinos de {place} quienes lo paguen",
        "Todavía hay tiempo para encontrar una solución que sirva a todos",
        "Nuestra prioridad es reducir las molestias al mínimo",
        "Estudiaremos todas las opciones, incluida la vía judicial",
        "La gente quiere certezas y ahora mismo nadie puede dárselas",
        "Es un paso en la buena dirección, pero solo es un paso",
        "El dinero existe, la cuestión es si hay voluntad política",
        "Nuestros socios están indignados, y lo entiendo perfectamente",
    ),
    short_quotes=_t(
        "una oportunidad perdida",
        "algo que llega tarde",
        "profundamente decepcionante",
        "un compromiso razonable",
        "precipitado y mal explicado",
        "un buen comienzo",
    ),
    weekdays=_t("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    months=_t(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    ordinals=_t("segundo", "tercero", "cuarto", "quinto"),
    lead=_t(
        "{Org} anunció el {weekday} que va a {action}, una decisión que afectará a miles de {affected} de la"
        " comarca.",
        "{Org} confirmó el {weekday} el plan para {action}, tras semanas de especulaciones.",
        "El debate sobre {subject} se endureció el {weekday} después de que {org} decidiera {action}.",
        "{Org} se dispone a {action} después de que una auditoría interna concluyera que {metric} han variado"
        " un {pct} en un año.",
        "Por sorpresa, {org} optó el {weekday} por {action}, tras una reunión de más de {small} horas.",
    ),
    figures=_t(
        "Según datos publicados en {month}, {metric} han variado un {pct} en términos interanuales.",
        "El proyecto costará unos {amount}, un {pct} más de lo previsto inicialmente.",
        "Unos {n} {affected} se verían afectados directamente, según las estimaciones disponibles.",
        "Solo en {month} se registraron {n} reclamaciones, casi {small} veces la media mensual.",
        "En una encuesta a {n} hogares, el {pct} de los consultados espera que la situación empeore.",
        "Según los expertos, la medida podría suponer {amount} de costes adicionales al año en {year2}.",
        "Una recogida de firmas reunió unas {n} adhesiones en {small} días.",
    ),
    quote_lines=_t(
        "«{quote}», afirmó {person}, {role}.",
        "«{quote}», declaró {person}, {role}, ante los periodistas el {weekday}.",
        "{person}, {role}, señaló: «{quote}».",
        "«{quote}», indicó {person}, {role}, en un comunicado.",
    ),
    followup=_t(
        "{last} añadió que los argumentos completos se publicarán en las próximas semanas.",
        "Según {last}, se estudiaron varias alternativas antes de tomar la decisión.",
        "{last} no quiso aclarar si se estudian más cambios.",
        "De acuerdo con {last}, los primeros efectos serán visibles en un plazo de {small} meses.",
    ),
    background=_t(
        "El conflicto se remonta a {year}, cuando se expresaron las primeras dudas.",
        "{place} ha vivido varios conflictos parecidos en los últimos años, casi siempre resueltos tras largas"
        " negociaciones.",
        "Un intento anterior de {action} se abandonó en {year} tras un recurso judicial.",
        "El asunto divide a los vecinos de {place} desde hace años.",
        "Desde {year} se han encargado {small} informes distintos sobre la cuestión.",
    ),
    reaction=_t(
        "{person2}, {role2}, calificó la decisión de «{short_quote}» y pidió una revisión independiente.",
        "La oposición criticó el momento del anuncio y aseguró que no se consultó suficientemente a los"
        " {affected}.",
        "Los representantes de los {affected} estudiarán las propuestas antes de decidir si las recurren.",
        "No todo fueron críticas: {person2}, {role2}, habló de «{short_quote}».",
        "Las organizaciones empresariales de {place} recibieron el anuncio con cautela.",
    ),
    outlook=_t(
        "Se espera una decisión definitiva antes de que termine {month}.",
        "Se presentará un calendario detallado en un plazo de {small} semanas.",
        "El parlamento regional volverá a debatir el asunto el {day} de {month}.",
        "Hay convocada una audiencia pública el {day} de {month} en {place}.",
        "Los colectivos afirman que mantendrán la presión hasta que se retire el proyecto.",
    ),
    subheads=_t(
        "Qué pasará ahora", "Un conflicto antiguo", "Costes y consecuencias", "Reacciones en {place}"
    ),
    title_suffixes=_t(": decisión en {month}", ", {n} afectados", " tras {small} horas de reunión"),
    topics=_ES_TOPICS,
    decimal=",",
    thousands=".",
    million="{x} millones de euros",
    percent="{x} %",
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (EN, DE, FR, ES)}

# Paragraph plan: each paragraph is a list of template groups, one sentence drawn from each.
_PLAN: tuple[tuple[str, ...], ...] = (
    ("lead", "topic"),
    ("figures", "topic", "figures"),
    ("quote_lines", "followup"),
    ("background", "background"),
    ("reaction", "topic"),
    ("figures", "background"),
    ("outlook", "outlook"),
)


def _number(lang: Language, value: int) -> str:
    """Format an integer with the language's thousands separator (1,250 / 1.250 / 1 250)."""
    return f"{value:,}".replace(",", lang.thousands)


def _decimal(lang: Language, value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", lang.decimal)


def person_name(person: tuple[str, str, str]) -> str:
    """'First Last' of a (first, last, gender) tuple."""
    return f"{person[0]} {person[1]}"


def _draw_person(lang: Language, rng: random.Random) -> tuple[str, str, str]:
    first, gender = rng.choice(lang.first_names).split(":")
    return first, rng.choice(lang.last_names), gender


def make_event(lang: Language, rng: random.Random, topic: Topic | None = None) -> Event:
    """Draw the entities of one news event: topic, place, organisations and the two people quoted."""
    topic = topic or rng.choice(lang.topics)
    place = rng.choice(lang.places)
    org = rng.choice(topic.orgs).format(place=place)
    person = _draw_person(lang, rng)
    person2 = _draw_person(lang, rng)
    while person2[1] == person[1]:
        person2 = _draw_person(lang, rng)
    return Event(
        topic=topic,
        place=place,
        org=org,
        org2=rng.choice(lang.orgs2),
        person=person,
        person2=person2,
        role=rng.choice(lang.roles[:4]),
        role2=rng.choice(lang.roles),
    )


def _role(template: str, gender: str, slots: dict[str, str]) -> str:
    masculine, feminine = template.split("|")
    return (feminine if gender == "f" else masculine).format_map(slots)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Slots(dict[str, str]):
    """Slot values for one sentence: the event's fixed entities, plus numbers and dates drawn on first use.

    Drawing lazily (via ``__missing__``, which ``str.format_map`` calls) keeps generation fast: a sentence
    uses two or three of the twenty-odd random slots.
    """

    def __init__(self, lang: Language, event: Event, rng: random.Random) -> None:
        topic = event.topic
        super().__init__(
            place=event.place,
            org=event.org,
            Org=_capitalise(event.org),
            org2=event.org2,
            subject=topic.subject,
            action=topic.action,
            affected=topic.affected,
            metric=topic.metric,
            Metric=_capitalise(topic.metric),
            person=person_name(event.person),
            last=event.person[1],
            person2=person_name(event.person2),
        )
        self.lang, self.event, self.rng = lang, event, rng

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        self[key] = value
        return value

    def _draw(self, key: str) -> str:
        lang, rng, event = self.lang, self.rng, self.event
        draws = {
            "n": lambda: _number(lang, rng.randrange(120, 9800)),
            "n0": lambda: str(rng.randrange(40, 260)),
            "small": lambda: str(rng.randrange(2, 10)),
            "pct": lambda: lang.percent.format(
                x=_decimal(lang, rng.randrange(2, 40) if rng.random() < 0.5 else rng.randrange(20, 390) / 10)
            ),
            "amount": lambda: lang.million.format(x=_decimal(lang, rng.randrange(12, 980) / 10)),
            "amount0": lambda: (
                _number(lang, rng.randrange(9, 30) * 100) + (" euros" if lang.code == "en" else " Euro")
            ),
            "year": lambda: str(rng.randrange(2004, 2022)),
            "year2": lambda: str(rng.randrange(2026, 2032)),
            "month": lambda: rng.choice(lang.months),
            "weekday": lambda: rng.choice(lang.weekdays[:5]),
            "day": lambda: str(rng.randrange(2, 29)),
            "ordinal": lambda: rng.choice(lang.ordinals),
            "short_quote": lambda: rng.choice(lang.short_quotes),
            "role": lambda: _role(event.role, event.person[2], self),
            "role2": lambda: _role(event.role2, event.person2[2], self),
            "quote": lambda: rng.choice(lang.quotes).format_map(self),
        }
        if key not in draws:
            raise KeyError(key)
        return draws[key]()


def _slots(lang: Language, event: Event, rng: random.Random) -> _Slots:
    return _Slots(lang, event, rng)


def _templates(lang: Language, event: Event, group: str) -> tuple[str, ...]:
    return event.topic.sentences if group == "topic" else getattr(lang, group)


def _sentence(
    lang: Language, event: Event, rng: random.Random, group: str, used: set[str], exclude: set[str]
) -> str:
    """One sentence from a group, avoiding templates already used in this story (or in ``exclude``)."""
    choices = [t for t in _templates(lang, event, group) if t not in used and t not in exclude]
    if not choices:
        choices = [t for t in _templates(lang, event, group) if t not in used] or list(
            _templates(lang, event, group)
        )
    template = rng.choice(choices)
    used.add(template)
    return template.format_map(_slots(lang, event, rng))


def _paragraph(
    lang: Language,
    event: Event,
    rng: random.Random,
    groups: tuple[str, ...],
    used: set[str],
    exclude: set[str],
    seen: set[str],
) -> str:
    """A paragraph of one sentence per group, redrawn until it is unique across the whole site.

    Sentences without numbers combine in few ways, so a large site runs out of them; after a while a
    sentence with figures is added, which makes the paragraph unique again.
    """
    for attempt in range(100):
        if attempt == 50:
            groups = (*groups, "figures")
        trial = set(used)
        text = " ".join(_sentence(lang, event, rng, g, trial, exclude) for g in groups)
        if text not in seen:
            used |= trial
            seen.add(text)
            return text
    raise RuntimeError("could not draw a unique paragraph; the template pool is too small")


def headline(lang: Language, event: Event, rng: random.Random, seen_titles: set[str]) -> str:
    """A headline for ``event`` not yet in ``seen_titles`` (a republished copy gets its own headline)."""
    for attempt in range(400):
        title = _capitalise(rng.choice(event.topic.headlines).format_map(_slots(lang, event, rng)))
        if attempt >= 20:
            title += rng.choice(lang.title_suffixes).format_map(_slots(lang, event, rng))
        if title not in seen_titles:
            seen_titles.add(title)
            return title
    raise RuntimeError("could not draw a unique headline")


def extra_paragraph(
    lang: Language,
    event: Event,
    rng: random.Random,
    seen: set[str],
    groups: tuple[str, ...] = ("reaction", "topic"),
) -> str:
    """One more unique paragraph about ``event``: a local angle for a republished copy, or an update."""
    return _paragraph(lang, event, rng, groups, set(), set(), seen)


def write_story(
    lang: Language,
    rng: random.Random,
    event: Event,
    *,
    dateline: str,
    seen_paragraphs: set[str],
    seen_titles: set[str],
    exclude: set[str] | None = None,
    min_words: int = 250,
) -> Story:
    """Write one story about ``event``.

    ``dateline`` (e.g. "WESTMERE —") prefixes the lead. ``exclude`` holds sentence templates another story
    about the same event already used, so the two stay different stories rather than near-duplicates.
    """
    exclude = exclude or set()
    used: set[str] = set()
    title = headline(lang, event, rng, seen_titles)
    blocks: list[tuple[str, str]] = []
    subhead_at = rng.choice((None, 3, 5)) if len(lang.subheads) else None
    for index, groups in enumerate(_PLAN):
        if index == subhead_at:
            blocks.append(("h2", rng.choice(lang.subheads).format(place=event.place)))
        text = _paragraph(lang, event, rng, groups, used, exclude, seen_paragraphs)
        blocks.append(("p", f"{dateline} {text}" if index == 0 else text))
    target = max(min_words, rng.randrange(300, 560))
    extra = 0
    while sum(len(t.split()) for _, t in blocks) < target and extra < 6:
        groups = ("background", "figures") if extra % 2 == 0 else ("reaction", "outlook")
        blocks.insert(-1, ("p", _paragraph(lang, event, rng, groups, used, exclude, seen_paragraphs)))
        extra += 1
    tags = [*rng.sample(list(event.topic.tags), 2), event.place]
    return Story(lang.code, event.topic.key, event.topic.section, title, blocks, tags, used)
