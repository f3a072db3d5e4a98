"""The oversight tracker: actions that implement recommendations, followed to validation."""
