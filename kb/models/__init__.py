from .changes import DataChange
from .directory import City, Membership, Organisation
from .notifications import Notification
from .pages import CityPage, HomePage
from .taxonomy import AttackType, Theme

__all__ = [
    "AttackType",
    "City",
    "DataChange",
    "CityPage",
    "HomePage",
    "Membership",
    "Notification",
    "Organisation",
    "Theme",
]
