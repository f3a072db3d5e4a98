"""The directory of member cities. Which cities belong to the network is not sensitive."""

from django.http import HttpRequest
from ninja import Router

from kb.models import City

from .schemas import CityOut

router = Router(tags=["directory"])


@router.get("/cities", response=list[CityOut], summary="Member cities of the network")
def list_cities(request: HttpRequest):
    return City.objects.order_by("name")
