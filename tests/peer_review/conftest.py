import pytest
from django.test import Client

from tests.factories import make_review_cast


@pytest.fixture
def cast(db):
    return make_review_cast()


@pytest.fixture
def as_user():
    """A logged-in test client for a user."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login
