from kb.periodic import periodic
from search.sync import drain


@periodic("search-sync")
def sync_search_index() -> str:
    synced, left = drain()
    return f"{synced} lessons synced, {left} waiting"
