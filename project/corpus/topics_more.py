"""More topics of the synthetic corpus: hospitals, transport, drones, recovery ..."""

from .topic import Topic

TOPICS: list[Topic] = [
    Topic(
        "command and control",
        ("gold command", "strategic coordination group", "joint decision model", "command post"),
        ("leadership-decision-making", "strategic-coordination"),
        ("marauding-firearms", "hostage-taking", "ied", "cbrn-chemical"),
        "respond",
        (
            "The strategic coordination group met {hours} hours after the attack.",
            "Three command posts were set up within {distance} metres of each other.",
        ),
        (
            "Commanders did not co-locate, so decisions were made twice.",
            "The joint decision model was known by name but not used.",
        ),
        (
            "Co-located commanders using one decision model reach decisions faster.",
            "Declaring a major incident early brings the strategic group together in time.",
        ),
        (
            ("Co-locate tactical commanders at one forward command post.", "organisation"),
            ("Train commanders together in the joint decision model.", "training"),
        ),
    ),
    Topic(
        "armed response",
        ("armed police", "firearms", "marauding terrorist attack", "hot zone"),
        ("strategic-coordination", "training-exercising"),
        ("marauding-firearms", "marauding-bladed", "hostage-taking"),
        "respond",
        (
            "Armed officers reached the attacker {minutes} minutes after the first call.",
            "Unarmed officers entered the hot zone to evacuate the wounded.",
        ),
        (
            "Zones were declared by the police but not passed to fire and ambulance.",
            "Specialist paramedics were not deployed with armed teams.",
        ),
        (
            "Zoning decisions must reach every agency at the same moment.",
            "Paramedics trained to work in the warm zone reach casualties earlier.",
        ),
        (
            ("Form joint teams of armed officers and specialist paramedics.", "organisation"),
            ("Exercise a marauding attack with every agency each year.", "exercise"),
        ),
    ),
    Topic(
        "hospital surge",
        ("hospital", "surge capacity", "major trauma centre", "blood supply"),
        ("victim-support", "planning-preparation"),
        ("ied", "vehicle-ramming", "person-borne-ied", "cbrn-chemical"),
        "respond",
        (
            "The nearest hospital received {number} casualties in {minutes} minutes.",
            "Ambulances took most patients to one hospital while two others stood ready.",
        ),
        (
            "Patient distribution was not coordinated from the scene.",
            "Blood stocks ran low by the evening.",
        ),
        ("Distributing patients across hospitals from the scene avoids overwhelming one.",),
        (
            ("Give the ambulance control a live view of hospital capacity.", "equipment"),
            ("Rehearse hospital surge plans with the ambulance service.", "exercise"),
        ),
    ),
    Topic(
        "public transport shutdown",
        ("transport", "metro", "station closure", "rail"),
        ("recovery-continuity", "public-private-partnership"),
        ("ied", "person-borne-ied", "hoax-suspicious-item", "cbrn-chemical"),
        "respond",
        (
            "The metro closed {number} stations for {hours} hours.",
            "Passengers were held on trains in tunnels for {minutes} minutes.",
        ),
        (
            "The transport operator learned of the attack from the news.",
            "Reopening was delayed because no agency owned the decision.",
        ),
        ("Transport operators belong in the command structure from the first minutes.",),
        (
            ("Give the transport operator a liaison officer in the control room.", "organisation"),
            ("Agree who decides to close and reopen stations.", "planning"),
        ),
    ),
    Topic(
        "drone incursion",
        ("drone", "counter-drone", "airspace", "no-fly zone"),
        ("protective-security-design", "cyber-online"),
        ("drone", "ied"),
        "prepare",
        (
            "A drone flew over the stadium for {minutes} minutes during the match.",
            "Counter-drone equipment was {distance} metres away and not authorised for use.",
        ),
        (
            "The legal authority to take down a drone was unclear.",
            "Operators could not be traced in time.",
        ),
        ("Clear authority and tested counter-drone equipment are needed before large events.",),
        (
            ("Agree the legal authority for counter-drone action at events.", "planning"),
            ("Test counter-drone equipment at every large event.", "exercise"),
        ),
    ),
    Topic(
        "chemical decontamination",
        ("decontamination", "chemical", "mass decontamination", "protective equipment"),
        ("planning-preparation", "training-exercising"),
        ("cbrn-chemical", "cbrn-biological", "cbrn-radiological"),
        "respond",
        (
            "Mass decontamination started {minutes} minutes after the first symptoms.",
            "{number} people left the scene before decontamination and went to hospital "
            "by themselves.",
        ),
        (
            "Hospitals were not warned that contaminated patients might arrive.",
            "Protective equipment was stored at one depot across the city.",
        ),
        ("Self-presenting casualties must be expected at every hospital after a chemical attack.",),
        (
            ("Store decontamination kits at every fire station.", "equipment"),
            ("Exercise self-presenting casualties with emergency departments.", "exercise"),
        ),
    ),
    Topic(
        "information sharing with private security",
        ("private security", "threat briefing", "information sharing", "security guards"),
        ("public-private-partnership", "information-sharing", "trust-partnership"),
        ("marauding-bladed", "vehicle-ramming", "hoax-suspicious-item"),
        "prepare",
        (
            "Private security at the {venue} received the threat level change {hours} hours late.",
            "Guards had no photograph of the wanted suspect.",
        ),
        (
            "There was no channel to brief private security quickly.",
            "Vetting rules limited what police could share.",
        ),
        (
            "A trusted channel to brief vetted private security staff multiplies the eyes on the "
            "street.",
        ),
        (
            ("Set up a vetted alert channel for private security companies.", "organisation"),
            ("Run joint awareness training with private security staff.", "training"),
        ),
    ),
    Topic(
        "community recovery",
        ("vigil", "memorial", "community tension", "psychosocial support"),
        ("community-resilience", "recovery-continuity", "victim-support"),
        ("vehicle-ramming", "marauding-firearms", "ied", "arson"),
        "recover",
        (
            "{number} people attended the vigil the day after the attack.",
            "Reports of hate crime rose for {days} days after the attack.",
        ),
        (
            "Psychosocial support was offered to victims but not to witnesses.",
            "Community leaders were not told what police knew about the motive.",
        ),
        (
            "Early contact with community leaders lowers tension after an attack.",
            "Witnesses and responders need psychosocial support as much as victims.",
        ),
        (
            ("Keep a list of community leaders to brief after an attack.", "organisation"),
            ("Offer psychosocial support to witnesses and responders.", "planning"),
        ),
    ),
    Topic(
        "cyber-enabled disruption",
        ("cyber", "ransomware", "denial of service", "control room outage"),
        ("cyber-online", "recovery-continuity"),
        ("cyber-enabled", "other"),
        "respond",
        (
            "The emergency call system was unavailable for {minutes} minutes.",
            "A denial of service attack took the city website down during the incident.",
        ),
        (
            "The fallback call centre had not been tested for a year.",
            "Public information depended on one website.",
        ),
        ("Tested fallbacks for control rooms and public information keep the response going.",),
        (
            ("Test the fallback control room every quarter.", "exercise"),
            ("Publish public information through several channels.", "planning"),
        ),
    ),
]
