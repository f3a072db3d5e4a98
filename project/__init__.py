"""The project wiring, the top layer: the URL map, the API router, the demo data, the
corpus generator for benchmarks, and the commands that span every app (load_demo, backup,
restore, worker, generate_corpus). Nothing below imports from here; everything here may
import from kb, lessons, search and peer_review."""
