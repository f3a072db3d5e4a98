"""City-to-city peer review: review rounds, assignments, threaded comments, decisions and
reminders (models.py, transitions.py, logic.py, discussion.py), the Wagtail workflow task that
gates publication on peer review (models.PeerReviewTask, workflow.py), the reviewer's read
grant (access.py, registered with kb.access), and the member-facing workspaces and API.

Builds on kb and lessons; independent of search.
"""
