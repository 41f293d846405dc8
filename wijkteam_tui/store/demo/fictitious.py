"""What the fictitious registers are made of: Dutch and multicultural names as found in Dutch
neighbourhoods, invented streets and town, the relations, resources, signals, plan actions and
notes a generated client gets, and how often and how contact is agreed (store/demo/generator.py).
"""

from __future__ import annotations

from wijkteam_tui.domain.terms import Channel, MemberKind, SignalPhase

FIRST_NAMES = (
    "Anna Bram Cor Daan Els Fenna Gerrit Henk Ilse Joke Kees Lotte Marieke Niels Ria Sanne Tom"
    " Wim Yvonne Fatima Mohamed Yasmina Khalid Said Nadia Ayşe Mehmet Emine Hasan Zeynep Mustafa"
    " Priya Rajesh Sharmila Roshni Dewi Wayan Sri Agnieszka Piotr Katarzyna Tomasz Ahmad Rania"
    " Omar Layla Samir Aster Yonas Senait Tesfay Shirley Marlon Ingrid Ernesto Mei Wei Joāo Ana"
    " Lucía Thi Minh Olena Dmytro Kofi Ama Kwame Efua Gert-Jan Hanneke Truus Sjoerd Femke"
).split()
LAST_NAMES = (
    "de Vries|Jansen|van den Berg|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos"
    "|Peters|Hendriks|van Dijk|Dekker|Brouwer|El Amrani|Bouzid|Ait Taleb|El Idrissi|Benali"
    "|Yılmaz|Kaya|Demir|Şahin|Öztürk|Çelik|Ramdin|Sewnarain|Mahabier|Jagessar|Soekhoe|Wijngaarde"
    "|Kowalski|Nowak|Wiśniewska|Al-Hassan|Haddad|Khalil|Tesfamariam|Gebremedhin|Mensah|Owusu"
    "|Nguyen|Tran|Wong|Martina|Pietersz|Hoogvliet|Kruithof|Doornbos|van 't Hof|Schreuder"
).split("|")
STREETS = (
    "Vlierhof Klaproosstraat Merelpad Zilverschoonlaan Lijsterbeshof Kastanjeplein Wilgenkade"
    " Hazelaarstraat Duizendbladweg Boterbloemlaan Kievitstraat Zwaluwhof Reigerpad Ijsvogelhof"
    " Rietgorsstraat Lavendelhof Tijmstraat Korenbloempad Akkerwindelaan Brem-erf Heidepad"
).split()
TOWN = "Middelwijk"
RELATIONS_INFORMAL = (
    ("dochter", "PGAE"),
    ("zoon", "PA"),
    ("buurvrouw", "PG"),
    ("buurman", "P"),
    ("vriendin", "GE"),
    ("vriend", "GE"),
    ("nicht", "GA"),
    ("broer", "AE"),
    ("zus", "GE"),
    ("vrijwilliger", "PG"),
    ("maatje", "GE"),
    ("kerkgenoot", "G"),
)
RELATIONS_FORMAL = (
    ("huisarts", "A"),
    ("wijkverpleegkundige", "PA"),
    ("schuldhulpmaatje", "A"),
    ("POH-GGZ", "AE"),
    ("jongerenwerker", "AG"),
)
RESOURCES = (
    ("Buurthuis De Vlier", "buurthuis"),
    ("Inloop Het Kompas", "inloop"),
    ("Moskee Al-Amal", "kerk/moskee"),
    ("Protestantse Gemeente Middelwijk", "kerk/moskee"),
    ("Wandelclub De Stappers", "vereniging"),
    ("Lotgenotengroep Rouw", "lotgenotengroep"),
    ("Taalcafé Middelwijk", "inloop"),
    ("Voedselbank Middelwijk", "voorziening"),
)
SIGNALS = {
    SignalPhase.GREEN: (
        "Doet zelf boodschappen en gaat naar de inloop",
        "Slaapt goed en houdt het huis bij",
    ),
    SignalPhase.ORANGE: (
        "Blijft binnen, neemt de telefoon niet op",
        "Post blijft liggen, rekeningen onbetaald",
        "Slaapt slecht, piekert veel",
    ),
    SignalPhase.RED: (
        "Eet niet meer, zegt dat het niet meer hoeft",
        "Deurwaarder aan de deur",
    ),
}
#: What the client, the network and the professional do in each phase of the plan.
PLAN_ACTIONS = {
    SignalPhase.GREEN: {
        "own_actions": "Ik houd mijn weekritme aan en ga op dinsdag naar de inloop.",
        "network_actions": "Even langsgaan en samen koffie drinken.",
        "professional_actions": "Eens per kwartaal een belafspraak.",
    },
    SignalPhase.ORANGE: {
        "own_actions": "Ik bel mijn dochter of de buurvrouw.",
        "network_actions": "Vaker langsgaan, samen boodschappen doen.",
        "professional_actions": "Casemanager belt binnen twee werkdagen.",
    },
    SignalPhase.RED: {
        "own_actions": "Ik bel de huisarts.",
        "network_actions": "Dezelfde dag langsgaan en de casemanager bellen.",
        "professional_actions": "Casemanager komt dezelfde dag; zo nodig de crisisdienst.",
    },
}
NOTES = (
    "Ging goed, samen koffie gedronken.",
    "Wat somber door het weer, wel aanspreekbaar.",
    "Vertelde over de kleinkinderen.",
    "Had vragen over een brief van de gemeente.",
    "Afspraak bij huisarts gemaakt.",
    "",
    "",
    "",
)
INTERVALS = (7, 14, 14, 14, 21, 28, 28, 42)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
CHANNELS_BY_KIND = {
    MemberKind.INFORMAL: (Channel.VISIT, Channel.PHONE, Channel.APP),
    MemberKind.FORMAL: (Channel.VISIT, Channel.PHONE, Channel.VIDEO),
    MemberKind.RESOURCE: (Channel.WALK_IN,),
}
