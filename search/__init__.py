"""Search and similar cases: one small interface (engine.py) over two backends (backends/:
embedded SQLite FTS5, Elasticsearch), the one search document (documents.py, bulk.py), the one
facet list (facets.py), the outbox that keeps the index in step (models.py, sync.py,
signals.py), and the search page, API and the similar-lessons panel it plugs into lessons.

Every query is trimmed by kb.access's tokens inside the engine. Builds on kb and lessons.
"""
