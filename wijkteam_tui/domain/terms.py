"""The fixed vocabulary of the register: the codes stored in the database and their Dutch labels.

Codes are stored as short Dutch words so that a database dump reads like the domain; the code
names are English, as everywhere in the code.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a Dutch label for the screen."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " "))


class Role(LabelledEnum):
    MEDEWERKER = "medewerker"
    TEAMLEIDER = "teamleider"


class Phase(LabelledEnum):
    INTENSIVE = "intensief"
    SCALING_BACK = "afschalen"
    IN_VIEW = "duurzaam_in_beeld"
    CLOSED = "afgesloten"


class MemberKind(LabelledEnum):
    INFORMAL = "informeel"
    FORMAL = "formeel"
    RESOURCE = "voorziening"


class Support(LabelledEnum):
    """Ecogram support types: praktisch, gezelschap, advies, emotioneel."""

    PRACTICAL = "P"
    COMPANY = "G"
    ADVICE = "A"
    EMOTIONAL = "E"


class Channel(LabelledEnum):
    VISIT = "bezoek"
    PHONE = "telefoon"
    VIDEO = "beeldbellen"
    APP = "app"
    WALK_IN = "inloop"


class Outcome(LabelledEnum):
    GOOD = "goed"
    CONCERNS = "zorgen"
    NOT_REACHED = "niet_bereikt"


class SignalPhase(LabelledEnum):
    GREEN = "groen"
    ORANGE = "oranje"
    RED = "rood"


class AlertStatus(LabelledEnum):
    OPEN = "open"
    CONFIRMED = "bevestigd"
    RESOLVED = "opgelost"


class SignOffStatus(LabelledEnum):
    """A request to move a client to 'duurzaam in beeld', as the teamleider decides it."""

    PENDING = "aangevraagd"
    APPROVED = "goedgekeurd"
    REFUSED = "afgewezen"
    #: The client's phase changed otherwise before a teamleider decided.
    LAPSED = "vervallen"


class ThresholdRule(LabelledEnum):
    OUT_OF_VIEW = "uit_beeld"
    MISSED_IN_ROW = "gemiste_contacten"
    ORANGE_OR_RED = "signaal_oranje_rood"
    OBSERVATION_FREQUENCY = "signaleringen_frequentie"
    NOT_REACHED_IN_ROW = "niet_bereikt"
    #: A ZRM domain fell by levels, or to 1–2 from 3 or more (domain.outcomes).
    OUTCOME_DROP = "zrm_daling"
    #: Several ZRM domains fell by a level or more at once.
    OUTCOME_SPREAD = "zrm_daling_breed"
    #: No ZRM or Positieve Gezondheid for too long in duurzaam in beeld.
    OUTCOME_OVERDUE = "geen_meting"


class AssessmentKind(LabelledEnum):
    """An outcome measured with the client: the Zelfredzaamheid-Matrix or a conversation about
    Positieve Gezondheid (domain.outcomes)."""

    ZRM = "zrm"
    PG = "pg"


class Regime(LabelledEnum):
    """The law under which support was given; it sets the retention term."""

    WMO = "wmo"
    WMO_NO_PROVISION = "wmo_zonder_voorziening"
    YOUTH_ACT = "jeugdwet"


_LABELS = {
    "duurzaam_in_beeld": "duurzaam in beeld",
    "niet_bereikt": "niet bereikt",
    "P": "praktisch",
    "G": "gezelschap",
    "A": "advies",
    "E": "emotioneel",
    "uit_beeld": "uit beeld",
    "gemiste_contacten": "gemiste contacten op rij",
    "signaal_oranje_rood": "signalering oranje of rood",
    "signaleringen_frequentie": "veel signaleringen kort na elkaar",
    "zrm_daling": "ZRM: daling in een domein",
    "zrm_daling_breed": "ZRM: daling in meerdere domeinen",
    "geen_meting": "geen meting in duurzaam in beeld",
    "zrm": "ZRM",
    "pg": "Positieve Gezondheid",
    "wmo": "Wmo",
    "wmo_zonder_voorziening": "Wmo zonder voorziening",
    "jeugdwet": "Jeugdwet",
}


def support_words(supports: str) -> str:
    """The support letters as words: "PG" is "P praktisch, G gezelschap"."""
    return ", ".join(f"{s.value} {s.label}" for s in Support if s.value in supports)


#: What the four letters mean, for a form or a legend.
SUPPORT_KEY = support_words("PGAE")
