"""Debriefs and lessons, and the oversight tracker that follows their recommendations.

- pages.py, models.py: debrief and lesson pages (Wagtail), recommendations, their marking,
  language and placement; access.py: the TLP rule applied to debriefs and lessons
  (registered with kb.access); panels.py: the slots higher apps fill in the lesson editor
  and page;
- importer/: `import_debriefs` (JSON lines, all or nothing, errors by line and field);
- tracking/: actions and progress updates, the transition table (transitions.py) and the one
  function that applies it (logic.py), committee dashboards, exports and reminders.

Builds on kb only; search and peer_review build on it.
"""
