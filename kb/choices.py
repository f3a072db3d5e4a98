"""Every controlled value of the domain (slugs are stable; labels may be translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    "vehicle-ramming": _("Vehicle ramming"),
    "marauding-firearms": _("Marauding firearms"),
    "marauding-bladed": _("Marauding bladed weapon"),
    "ied": _("Improvised explosive device"),
    "person-borne-ied": _("Person-borne IED"),
    "vehicle-borne-ied": _("Vehicle-borne IED"),
    "drone": _("Drone"),
    "cbrn-chemical": _("CBRN: chemical"),
    "cbrn-biological": _("CBRN: biological"),
    "cbrn-radiological": _("CBRN: radiological"),
    "arson": _("Arson"),
    "hostage-taking": _("Hostage taking"),
    "cyber-enabled": _("Cyber-enabled"),
    "hoax-suspicious-item": _("Hoax or suspicious item"),
    "other": _("Other"),
}

THEMES = {
    "strategic-coordination": _("Strategic coordination"),
    "planning-preparation": _("Planning and preparation"),
    "leadership-decision-making": _("Leadership and decision making"),
    "trust-partnership": _("Trust and partnership"),
    "actor-participation": _("Actor participation"),
    "strategic-communications": _("Strategic communications"),
    "lessons-application": _("Application of lessons"),
    "information-sharing": _("Information sharing"),
    "public-private-partnership": _("Public-private partnership"),
    "protective-security-design": _("Protective security and design"),
    "training-exercising": _("Training and exercising"),
    "community-resilience": _("Community resilience"),
    "victim-support": _("Victim support"),
    "recovery-continuity": _("Recovery and continuity"),
    "crowded-places": _("Crowded places"),
    "cyber-online": _("Cyber and online"),
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

# The same names as they read inside a sentence, as in the badge "Written in English": French
# and Spanish write them in lower case there ("Rédigé en anglais"), German and Dutch do not.
CONTENT_LANGUAGES_IN_SENTENCE = {
    "en": pgettext_lazy("language name inside a sentence", "English"),
    "fr": pgettext_lazy("language name inside a sentence", "French"),
    "de": pgettext_lazy("language name inside a sentence", "German"),
    "es": pgettext_lazy("language name inside a sentence", "Spanish"),
    "nl": pgettext_lazy("language name inside a sentence", "Dutch"),
    "it": pgettext_lazy("language name inside a sentence", "Italian"),
    "pt": pgettext_lazy("language name inside a sentence", "Portuguese"),
    "ca": pgettext_lazy("language name inside a sentence", "Catalan"),
    "da": pgettext_lazy("language name inside a sentence", "Danish"),
    "sv": pgettext_lazy("language name inside a sentence", "Swedish"),
    "no": pgettext_lazy("language name inside a sentence", "Norwegian"),
    "fi": pgettext_lazy("language name inside a sentence", "Finnish"),
    "pl": pgettext_lazy("language name inside a sentence", "Polish"),
    "el": pgettext_lazy("language name inside a sentence", "Greek"),
    "tr": pgettext_lazy("language name inside a sentence", "Turkish"),
    "ar": pgettext_lazy("language name inside a sentence", "Arabic"),
}


def content_language_choices() -> list[tuple[str, str]]:
    return list(CONTENT_LANGUAGES.items())


# --- Labels in the reader's language ----------------------------------------------------
# Each kind of controlled value, by the name the API, exports and templates use for it;
# its slugs stay stable whatever the language.
VOCABULARIES = {
    "attack_type": ATTACK_TYPES,
    "theme": THEMES,
    "phase": dict(Phase.choices),
    "capability_element": dict(CapabilityElement.choices),
    "incident_type": dict(IncidentType.choices),
    "action_status": dict(ActionStatus.choices),
    "priority": dict(Priority.choices),
    "sector": dict(Sector.choices),
    "role": dict(Role.choices),
    "marking": dict(Marking.choices),  # TLP labels stay in FIRST's English form
    "language": CONTENT_LANGUAGES,
}


def vocabulary_label(kind: str, slug: str | None) -> str:
    """The label of a controlled value in the active language; the slug itself when it
    is not (or no longer) in the vocabulary."""
    if not slug:
        return ""
    return str(VOCABULARIES.get(kind, {}).get(slug, slug))


def vocabulary_choices(kind: str) -> list[tuple[str, str]]:
    """(slug, label) pairs of a vocabulary in the active language, ordered by label."""
    labels = [(slug, str(label)) for slug, label in VOCABULARIES[kind].items()]
    return sorted(labels, key=lambda pair: pair[1].casefold())
