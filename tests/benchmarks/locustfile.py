"""The load test's members (run by tests/benchmarks/test_load.py, never against a remote host).

Each simulated member logs in through the login page, then searches (with and without facet
filters), reads lessons it may see, opens its review workspace and, when it reviews an open
round, comments on it. The plan (who logs in, which lessons and rounds exist) is a JSON file
named by KB_LOAD_PLAN, written by the test from the database under load.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["KB_LOAD_PLAN"], encoding="utf-8").read())
WORDS = PLAN["queries"]
FILTERS = [
    "",
    "&phase=respond",
    "&attack_type=vehicle-ramming",
    "&theme=victim-support",
    "&incident_type=exercise",
]
_SEATS = itertools.count()
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Member(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.person = PLAN["members"][next(_SEATS) % len(PLAN["members"])]
        self.rng = random.Random(self.person["username"])
        # The production settings mark cookies Secure; on this plain-HTTP loopback the
        # client would drop them, so they are carried by hand.
        self.cookies: dict[str, str] = {}
        page = self._get("/accounts/login/", name="login page")
        token = _CSRF.search(page.text).group(1)
        self._remember(page)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.person["username"],
                "password": self.person["password"],
                "csrfmiddlewaretoken": token,
            },
            headers=self._headers(),
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.person['username']}: {response.status_code}")
            self._remember(response)

    def _remember(self, response) -> None:
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value

    def _headers(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _get(self, url: str, name: str):
        response = self.client.get(url, headers=self._headers(), name=name)
        self._remember(response)
        return response

    @task(5)
    def search(self) -> None:
        words = self.rng.choice(WORDS).replace(" ", "+")
        self._get(f"/search/?q={words}{self.rng.choice(FILTERS)}", name="search page")

    @task(2)
    def search_api(self) -> None:
        words = self.rng.choice(WORDS).replace(" ", "+")
        self._get(f"/api/v1/search?q={words}", name="search API")

    @task(5)
    def read_lesson(self) -> None:
        self._get(self.rng.choice(PLAN["lessons"]), name="lesson page")

    @task(1)
    def lesson_index(self) -> None:
        self._get("/lessons/", name="lesson index")

    @task(1)
    def workspace(self) -> None:
        self._get("/reviews/", name="review workspace")

    @task(1)
    def comment(self) -> None:
        rounds = self.person["rounds"]
        if not rounds:
            return
        round_id = self.rng.choice(rounds)
        page = self._get(f"/reviews/rounds/{round_id}/", name="review round")
        found = _CSRF.search(page.text)
        if found is None:
            return
        with self.client.post(
            f"/reviews/rounds/{round_id}/comments/",
            data={
                "section": "general",
                "body": "<p>Load test comment: the observation matches our experience.</p>",
                "csrfmiddlewaretoken": found.group(1),
            },
            headers=self._headers(),
            allow_redirects=False,  # the redirect would lose the hand-carried cookies
            name="comment",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"comment answered {response.status_code}")
