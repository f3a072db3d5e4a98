"""The bottom layer: what every other part stands on.

- the member directory: cities, organisations, memberships and roles (models/directory.py,
  directory.py with the one `current_membership` lookup);
- the controlled vocabularies (choices.py, models/taxonomy.py) and the content languages;
- the access policy's core (access.py): the Traffic Light Protocol rule stated once, the
  viewer, and the registration points through which higher apps add marked page types and
  read grants; the Wagtail admin's permission policy (admin_permissions.py);
- shared services: notifications and e-mail (notifications.py), the one HTML sanitiser
  (sanitise.py), the one reminder engine (reminders.py), periodic jobs (periodic.py), the
  data version caches are keyed by (dataversion.py), security (security/);
- the home and city pages (models/pages.py), settings (settings/) and the API toolkit (api/).

kb imports no other app of the project: lessons, search, peer_review and project plug in
through the registration points (see DESIGN.md's layers; tests/architecture enforces them).
"""
