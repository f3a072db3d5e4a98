"""Account protection: two-factor authentication, the Content-Security-Policy and the
Wagtail hook that refuses stale page saves. See docs/security.md."""
