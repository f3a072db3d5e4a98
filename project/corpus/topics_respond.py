"""Response topics of the synthetic corpus (first half of the vocabulary)."""

from .topic import Topic

TOPICS: list[Topic] = [
    Topic(
        "casualty triage",
        ("triage", "casualty clearing", "tourniquet", "major incident"),
        ("strategic-coordination", "victim-support"),
        ("vehicle-ramming", "marauding-bladed", "ied", "marauding-firearms"),
        "respond",
        (
            "Casualty clearing was set up {minutes} minutes after the first call, {distance} "
            "metres from the {venue}.",
            "Paramedics triaged {number} casualties with two different triage sieves.",
            "Police officers applied tourniquets before ambulance crews reached the warm zone.",
        ),
        (
            "Two triage systems in use meant that priorities were recounted at the casualty "
            "clearing station.",
            "Crews waited at the rendezvous point because nobody declared the zone warm.",
        ),
        (
            "One triage sieve shared by every responding agency saves minutes at the casualty "
            "clearing station.",
            "Bleeding control by the first officers on scene saves lives before the area is safe.",
        ),
        (
            ("Adopt one triage sieve across police, fire and ambulance services.", "planning"),
            ("Issue bleeding control kits to every patrol vehicle.", "equipment"),
            ("Train first responders in tourniquet use each year.", "training"),
        ),
    ),
    Topic(
        "cordons",
        ("cordon", "inner cordon", "outer cordon", "rendezvous point"),
        ("strategic-coordination", "planning-preparation"),
        ("ied", "vehicle-borne-ied", "hoax-suspicious-item", "person-borne-ied"),
        "respond",
        (
            "The inner cordon was drawn at {distance} metres and moved twice in the first hour.",
            "Responders entered the outer cordon through {number} different access points.",
            "The rendezvous point sat inside the blast radius of the suspicious vehicle.",
        ),
        (
            "Cordon distances were set by the first officer on scene without the bomb data "
            "tables, so they changed as specialists arrived.",
            "Without one scribe at the cordon nobody knew who was inside.",
        ),
        (
            "Cordon distances agreed in advance for each device size keep responders out of "
            "the hazard area.",
            "A single controlled access point to each cordon gives an accurate roll of "
            "those inside.",
        ),
        (
            ("Publish standard cordon distances in the joint response plan.", "planning"),
            ("Appoint a cordon scribe at every major incident.", "organisation"),
            ("Exercise cordon changes with all agencies twice a year.", "exercise"),
        ),
    ),
    Topic(
        "crowd management",
        ("crowd", "evacuation", "stewarding", "crowd crush"),
        ("crowded-places", "public-private-partnership"),
        ("vehicle-ramming", "marauding-firearms", "hoax-suspicious-item"),
        "respond",
        (
            "About {number} people left the {venue} through two exits in less than {minutes} "
            "minutes.",
            "Stewards did not know whether to evacuate or to shelter in place.",
            "A false report of gunfire caused a crowd surge in the square.",
        ),
        (
            "The venue's evacuation plan assumed a fire, not an attacker outside the exits.",
            "Stewards had no radio link to the police control room.",
        ),
        (
            "Venue stewards need a clear run, hide, tell message and a link to police command.",
            "Crowd surges after false alarms injure more people than the incident itself.",
        ),
        (
            ("Write invacuation and lockdown procedures for large venues.", "planning"),
            ("Give senior stewards a radio talk group shared with police.", "equipment"),
            ("Train venue stewards in crowd dynamics and lockdown.", "training"),
        ),
    ),
    Topic(
        "inter-agency radio",
        ("radio", "interoperability", "talk group", "airwave"),
        ("information-sharing", "strategic-coordination"),
        ("marauding-firearms", "marauding-bladed", "vehicle-ramming", "ied"),
        "respond",
        (
            "Fire, police and ambulance commanders used {number} separate talk groups for the "
            "first {minutes} minutes.",
            "The shared interoperability channel was switched on only after the first hour.",
            "Radio traffic overloaded the network near the {venue}.",
        ),
        (
            "Each control room knew part of the picture; nobody held all of it.",
            "Commanders relayed messages by runner because the radios did not talk to each other.",
        ),
        (
            "A shared talk group opened at the first declaration of a major incident gives every "
            "commander one picture.",
        ),
        (
            ("Open the interoperability talk group automatically on a major incident.", "planning"),
            ("Test the shared radio channel every month.", "exercise"),
            ("Buy radios that roam onto the shared network.", "equipment"),
        ),
    ),
    Topic(
        "CCTV",
        ("cctv", "video", "camera", "image analysis"),
        ("information-sharing", "public-private-partnership"),
        ("vehicle-ramming", "ied", "marauding-bladed", "arson"),
        "respond",
        (
            "Police needed {hours} hours to collect footage from {number} private CCTV systems.",
            "The municipal CCTV room watched the attacker for {minutes} minutes without a "
            "direct line to armed officers.",
        ),
        (
            "Private camera owners did not know how to export their footage.",
            "Footage in many formats slowed the identification of the suspect.",
        ),
        (
            "A register of private CCTV systems with contacts speeds up evidence collection.",
            "The CCTV room should be able to speak directly to the tactical commander.",
        ),
        (
            ("Keep a register of private CCTV around crowded places.", "organisation"),
            ("Give the CCTV room a seat on the command talk group.", "equipment"),
        ),
    ),
    Topic(
        "victim identification",
        ("disaster victim identification", "missing persons", "family liaison", "mortuary"),
        ("victim-support", "recovery-continuity"),
        ("vehicle-ramming", "ied", "marauding-firearms", "person-borne-ied"),
        "recover",
        (
            "Families waited {hours} hours before the casualty bureau confirmed names.",
            "The casualty bureau took {number} calls in the first day.",
            "Victims of {number} nationalities were identified over {days} days.",
        ),
        (
            "Hospitals and the casualty bureau kept separate lists of patients.",
            "Families learned of deaths through social media before the police informed them.",
        ),
        (
            "One list of casualties shared by hospitals and police shortens the wait for families.",
            "Family liaison officers should reach families before the names are published.",
        ),
        (
            ("Link hospital admission lists to the casualty bureau.", "organisation"),
            ("Train family liaison officers for mass casualty incidents.", "training"),
            ("Set up a family assistance centre plan with the municipality.", "planning"),
        ),
    ),
    Topic(
        "media lines",
        ("media", "press conference", "social media", "public warning", "rumours"),
        ("strategic-communications", "community-resilience"),
        ("vehicle-ramming", "marauding-firearms", "hoax-suspicious-item", "cyber-enabled"),
        "respond",
        (
            "The first official statement came {minutes} minutes after the first post on "
            "social media.",
            "Rumours of a second attacker at the {venue} spread for {hours} hours.",
            "The police and the municipality gave different casualty figures at two press "
            "conferences.",
        ),
        (
            "Nobody owned the joint media line, so each agency spoke for itself.",
            "Translations for tourists arrived a day late.",
        ),
        (
            "One agreed media line, issued early and often, limits rumours.",
            "Public warnings must be published in the languages visitors speak.",
        ),
        (
            ("Agree a joint communications cell with pre-written holding lines.", "planning"),
            ("Prepare public warning messages in the main visitor languages.", "planning"),
            ("Exercise the joint press conference with all agencies.", "exercise"),
        ),
    ),
    Topic(
        "hostile vehicle mitigation",
        ("hostile vehicle mitigation", "bollards", "barriers", "pedestrianised zone"),
        ("protective-security-design", "crowded-places"),
        ("vehicle-ramming", "vehicle-borne-ied"),
        "prepare",
        (
            "A lorry entered the {venue} through a gap of {distance} metres between barriers.",
            "Temporary barriers were set up for the market but not at the service entrance.",
        ),
        (
            "Barriers were chosen for appearance, not for a crash rating.",
            "Emergency vehicles needed the same gap that the attacker used.",
        ),
        (
            "Hostile vehicle mitigation has to cover every vehicle approach, service access "
            "included.",
            "Crash-rated barriers that open for emergency vehicles close the gaps.",
        ),
        (
            ("Survey vehicle approaches to every crowded place each year.", "planning"),
            ("Install crash-rated removable bollards at service entrances.", "equipment"),
        ),
    ),
]
