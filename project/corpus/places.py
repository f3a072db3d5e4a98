"""Where the synthetic corpus happens and who speaks in it: cities, venues, agencies."""

CITY_NAMES = (
    "Amsterdam Aarhus Antwerp Athens Barcelona Belfast Berlin Bilbao Birmingham Bologna "
    "Bordeaux Bratislava Bremen Brighton Bristol Brno Brussels Bucharest Budapest Cardiff "
    "Cologne Copenhagen Cork Dresden Dublin Dusseldorf Edinburgh Eindhoven Essen Florence "
    "Frankfurt Gdansk Geneva Genoa Ghent Glasgow Gothenburg Graz Hamburg Hanover Helsinki "
    "Innsbruck Krakow Leeds Leipzig Liege Lille Lisbon Liverpool Ljubljana Lodz London Lyon "
    "Madrid Malaga Malmo Manchester Marseille Milan Montpellier Munich Nantes Naples Nice "
    "Nottingham Nuremberg Oslo Palermo Paris Porto Poznan Prague Riga Rome Rotterdam "
    "Salzburg Seville Sheffield Sofia Stockholm Strasbourg Stuttgart Tallinn Tampere "
    "Thessaloniki Toulouse Turin Utrecht Valencia Vienna Vilnius Warsaw Wroclaw Zagreb Zurich "
    "Adelaide Auckland Boston Brisbane Calgary Chicago Denver Melbourne Montreal Ottawa Perth "
    "Seattle Sydney Toronto Vancouver Wellington"
).split()
DISTRICTS = ("North", "South", "East", "West", "Central", "Harbour", "Old Town", "Riverside")

VENUES = (
    "Christmas market",
    "concert arena",
    "central station",
    "football stadium",
    "shopping centre",
    "promenade",
    "cathedral square",
    "airport terminal",
    "metro interchange",
    "university campus",
    "festival site",
    "town hall",
)

AGENCIES = (
    "{city} Police",
    "{city} Fire and Rescue",
    "{city} Ambulance Service",
    "{city} Public Health",
    "{city} Public Transport",
    "City of {city}",
)

SECTORS = ("police", "fire", "ambulance", "health", "transport", "municipality")

COMMENTS = (
    "The observation would be stronger with the timings from the control room log.",
    "Our city saw the same problem; the recommendation matches what worked for us.",
    "Please say which agency owns this recommendation.",
    "The lesson reads as a general rule and can be shared network-wide.",
    "Consider adding the exercise that tested this change.",
)
