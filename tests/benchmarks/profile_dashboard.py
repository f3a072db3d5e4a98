"""Where the committee dashboard's time goes, on one corpus database (pyinstrument).

    DATABASE_URL=sqlite:///…/corpus-100000-seed2026.sqlite3 \
    python -m tests.benchmarks.profile_dashboard [--city] [--cached] [--html FILE]

Profiles one render of /tracker/dashboard/ by the network-wide committee member (`--city`:
a city's committee member) after a write to one action (`--cached`: the render after
that), and prints pyinstrument's call tree, SQL statements included.
"""

from __future__ import annotations

import argparse
import os


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--city", action="store_true", help="a city committee member")
    parser.add_argument("--cached", action="store_true", help="the render after the first")
    parser.add_argument("--html", default="", help="write pyinstrument's HTML page here")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from pyinstrument import Profiler

    from tests.benchmarks.measure import _client_for, _get, an_action_update, city_committee
    from tests.benchmarks.measure import people as corpus_people

    user = city_committee() if args.city else corpus_people()[1]
    client = _client_for(user)
    _get(client, "/tracker/dashboard/")  # templates, content types, the other cities
    an_action_update(city=args.city)()
    if args.cached:
        _get(client, "/tracker/dashboard/")
    profiler = Profiler(interval=0.0005)
    with profiler:
        _get(client, "/tracker/dashboard/")
    if args.html:
        with open(args.html, "w") as out:
            out.write(profiler.output_html())
    print(profiler.output_text(unicode=True, show_all=False))


if __name__ == "__main__":
    main()
