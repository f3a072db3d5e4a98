"""Every controlled value of the domain (slugs are stable; labels may be translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Marking(models.TextChoices):
    CLEAR = "TLP:CLEAR", "TLP:CLEAR"
    GREEN = "TLP:GREEN", "TLP:GREEN"
    AMBER = "TLP:AMBER", "TLP:AMBER"
    AMBER_STRICT = "TLP:AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "TLP:RED", "TLP:RED"

    @property
    def description(self) -> str:
        return MARKING_DESCRIPTIONS[self]


MARKING_ORDER = [Marking.CLEAR, Marking.GREEN, Marking.AMBER, Marking.AMBER_STRICT, Marking.RED]
MARKING_DESCRIPTIONS = {
    Marking.CLEAR: _("Public: may be shared without restriction."),
    Marking.GREEN: _("All members of the network."),
    Marking.AMBER: _("The owning city and the cities it is shared with."),
    Marking.AMBER_STRICT: _("The owning city only."),
    Marking.RED: _("Named recipients only."),
}


class Sector(models.TextChoices):
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire and rescue")
    AMBULANCE = "ambulance", _("Ambulance")
    MUNICIPALITY = "municipality", _("Municipality")
    HEALTH = "health", _("Health")
    TRANSPORT = "transport", _("Transport")
    PRIVATE_SECURITY = "private_security", _("Private security")
    VENUE_OPERATOR = "venue_operator", _("Venue operator")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    EDITOR = "editor", _("City editor")
    REVIEWER = "reviewer", _("Peer reviewer")
    COMMITTEE = "committee", _("Oversight committee")
    COORDINATOR = "coordinator", _("Review coordinator")
    OWNER = "owner", _("Action owner")


class IncidentType(models.TextChoices):
    ATTACK = "attack", _("Attack")
    EXERCISE = "exercise", _("Exercise")
    NEAR_MISS = "near_miss", _("Near miss")


class Phase(models.TextChoices):
    PREPARE = "prepare", _("Prepare")
    RESPOND = "respond", _("Respond")
    RECOVER = "recover", _("Recover")


class CapabilityElement(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ORGANISATION = "organisation", _("Organisation")
    EQUIPMENT = "equipment", _("Equipment")
    TRAINING = "training", _("Training")
    EXERCISE = "exercise", _("Exercise")


ATTACK_TYPES = {
    "vehicle-ramming": "Vehicle ramming",
    "marauding-firearms": "Marauding firearms",
    "marauding-bladed": "Marauding bladed weapon",
    "ied": "Improvised explosive device",
    "person-borne-ied": "Person-borne IED",
    "vehicle-borne-ied": "Vehicle-borne IED",
    "drone": "Drone",
    "cbrn-chemical": "CBRN: chemical",
    "cbrn-biological": "CBRN: biological",
    "cbrn-radiological": "CBRN: radiological",
    "arson": "Arson",
    "hostage-taking": "Hostage taking",
    "cyber-enabled": "Cyber-enabled",
    "hoax-suspicious-item": "Hoax or suspicious item",
    "other": "Other",
}

THEMES = {
    "strategic-coordination": "Strategic coordination",
    "planning-preparation": "Planning and preparation",
    "leadership-decision-making": "Leadership and decision making",
    "trust-partnership": "Trust and partnership",
    "actor-participation": "Actor participation",
    "strategic-communications": "Strategic communications",
    "lessons-application": "Application of lessons",
    "information-sharing": "Information sharing",
    "public-private-partnership": "Public-private partnership",
    "protective-security-design": "Protective security and design",
    "training-exercising": "Training and exercising",
    "community-resilience": "Community resilience",
    "victim-support": "Victim support",
    "recovery-continuity": "Recovery and continuity",
    "crowded-places": "Crowded places",
    "cyber-online": "Cyber and online",
}


class ActionStatus(models.TextChoices):
    """The lifecycle of an action (the moves are in lessons/tracking/transitions.py)."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    VALIDATED = "validated", _("Validated")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# The languages content may be written in (BCP 47 primary subtags). Each has a stemmer on
# both search backends (snowball; Elasticsearch's language analyzers) except where noted.
CONTENT_LANGUAGES = {
    "en": _("English"),
    "fr": _("French"),
    "de": _("German"),
    "es": _("Spanish"),
    "nl": _("Dutch"),
    "it": _("Italian"),
    "pt": _("Portuguese"),
    "ca": _("Catalan"),
    "da": _("Danish"),
    "sv": _("Swedish"),
    "no": _("Norwegian"),
    "fi": _("Finnish"),
    "pl": _("Polish"),
    "el": _("Greek"),
    "tr": _("Turkish"),
    "ar": _("Arabic"),
}
DEFAULT_CONTENT_LANGUAGE = "en"


def content_language_choices() -> list[tuple[str, str]]:
    return list(CONTENT_LANGUAGES.items())
