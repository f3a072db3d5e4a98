"""Recommendations, actions in every status with their progress updates, and review rounds
for a batch of freshly written lessons."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from kb.choices import ActionStatus, Priority
from lessons.models import Recommendation
from lessons.tracking.models import Action, ProgressUpdate
from peer_review.models import (
    AssignmentState,
    Comment,
    ReviewAssignment,
    ReviewRound,
    RoundState,
)
from peer_review.models import Recommendation as Verdict

from .vocabulary import COMMENTS

S = ActionStatus
STATUS_WEIGHTS = {
    S.PROPOSED: 15,
    S.ACCEPTED: 15,
    S.DECLINED: 5,
    S.IN_PROGRESS: 25,
    S.IMPLEMENTED: 20,
    S.VALIDATED: 20,
}
ACTION_SHARE = 0.9  # of recommendations that have an action
SECOND_ACTION_SHARE = 0.3  # of those that need a second one (about two actions per lesson)
REVIEW_SHARE = 0.015  # of lessons that went through peer review
SECTIONS = ("general", "observation", "discussion", "lesson_identified", "recommendations")


class TrackingWriter:
    def __init__(self, rng: random.Random, people: dict, stats):
        self.rng, self.people, self.stats = rng, people, stats
        self.now = timezone.now()
        self.today = timezone.localdate()

    def write(self, lessons: list) -> None:
        recommendations = [
            Recommendation(lesson_id=lesson.pk, text=rec, capability_element=element, sort_order=i)
            for lesson in lessons
            for i, (rec, element) in enumerate(lesson._recommendations)
        ]
        Recommendation.objects.bulk_create(recommendations)
        owners = {lesson.pk: lesson._people for lesson in lessons}
        actions = []
        for rec in recommendations:
            if self.rng.random() < ACTION_SHARE:
                actions.append(self._action(rec, owners[rec.lesson_id]))
                if self.rng.random() < SECOND_ACTION_SHARE:
                    actions.append(self._action(rec, owners[rec.lesson_id]))
        Action.objects.bulk_create(actions)
        updates = [self._update(action) for action in actions if action.status != S.PROPOSED]
        ProgressUpdate.objects.bulk_create(updates)
        reviewed = [lesson for lesson in lessons if self.rng.random() < REVIEW_SHARE]
        if not self.stats.review_rounds and not reviewed and lessons:
            reviewed = lessons[:1]  # even a small corpus shows the peer review
        self._reviews(reviewed)
        self.stats.recommendations += len(recommendations)
        self.stats.actions += len(actions)
        self.stats.progress_updates += len(updates)

    def _action(self, rec: Recommendation, p) -> Action:
        rng = self.rng
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        created = self.now - datetime.timedelta(days=rng.randint(10, 700))
        start = created.date() + datetime.timedelta(days=rng.randint(0, 30))
        due = start + datetime.timedelta(days=rng.randint(30, 400))
        done = None
        if status in (S.IMPLEMENTED, S.VALIDATED):
            done = min(start + datetime.timedelta(days=rng.randint(20, 300)), self.today)
        # Some open actions have gone quiet for longer than the stale limit.
        last = min(created + datetime.timedelta(days=rng.randint(0, 400)), self.now)
        return Action(
            recommendation_id=rec.pk,
            capability_element=rec.capability_element,
            corrective_action=f"Put into effect: {rec.text}",
            responsible_organisation_id=rng.choice(p.organisations),
            point_of_contact_id=p.members["owner"],
            start_date=start,
            due_date=due,
            completion_date=done,
            priority=rng.choice(Priority.values),
            status=status,
            status_reason="No budget this financial year." if status == S.DECLINED else "",
            created_at=created,
            last_update_at=last,
        )

    def _update(self, action: Action) -> ProgressUpdate:
        before = S.PROPOSED if action.status in (S.ACCEPTED, S.DECLINED) else S.IN_PROGRESS
        return ProgressUpdate(
            action_id=action.pk,
            author_id=action.point_of_contact_id,
            text=f"<p>Status moved to {S(action.status).label.lower()}.</p>",
            status_from=before,
            status_to=action.status,
            created_at=action.last_update_at,
        )

    def _reviews(self, lessons: list) -> None:
        rng = self.rng
        rounds, plans = [], []
        for lesson in lessons:
            p = lesson._people
            others = [o for o in self.people.values() if o.city.pk != p.city.pk]
            reviewers = [o.members["reviewer"] for o in rng.sample(others, min(2, len(others)))]
            opened = self.now - datetime.timedelta(days=rng.randint(5, 300))
            closed = rng.random() < 0.6
            first = ReviewRound(
                page_id=lesson.pk,
                number=1,
                state=RoundState.CLOSED if closed else RoundState.OPEN,
                opened_at=opened,
                closed_at=opened + datetime.timedelta(days=21) if closed else None,
                submitted_by_id=p.members["editor"],
                coordinator_id=p.members["coordinator"],
                decision=rng.choice([Verdict.ENDORSE, Verdict.REVISE]) if closed else "",
            )
            rounds.append(first)
            plans.append((first, reviewers, p))
            if first.decision == Verdict.REVISE:
                second = ReviewRound(
                    page_id=lesson.pk,
                    number=2,
                    opened_at=opened + datetime.timedelta(days=30),
                    submitted_by_id=p.members["editor"],
                    coordinator_id=p.members["coordinator"],
                )
                rounds.append(second)
                plans.append((second, reviewers, p))
        ReviewRound.objects.bulk_create(rounds)
        assignments, comments = [], []
        for round_, reviewers, p in plans:
            for reviewer in reviewers:
                done = round_.state == RoundState.CLOSED or rng.random() < 0.3
                assignments.append(
                    ReviewAssignment(
                        round_id=round_.pk,
                        reviewer_id=reviewer,
                        invited_by_id=p.members["coordinator"],
                        state=AssignmentState.SUBMITTED if done else AssignmentState.ACCEPTED,
                        invited_at=round_.opened_at,
                        response_due=round_.opened_at.date() + datetime.timedelta(days=5),
                        review_due=round_.opened_at.date() + datetime.timedelta(days=21),
                        responded_at=round_.opened_at + datetime.timedelta(days=2),
                        submitted_at=round_.opened_at + datetime.timedelta(days=15)
                        if done
                        else None,
                        recommendation=rng.choice(list(Verdict.values)) if done else "",
                    )
                )
                for _ in range(rng.randint(1, 3)):
                    comments.append(
                        Comment(
                            round_id=round_.pk,
                            author_id=reviewer,
                            section=rng.choice(SECTIONS),
                            body=f"<p>{rng.choice(COMMENTS)}</p>",
                            created_at=round_.opened_at + datetime.timedelta(days=3),
                        )
                    )
        ReviewAssignment.objects.bulk_create(assignments)
        Comment.objects.bulk_create(comments)
        self.stats.review_rounds += len(rounds)
