"""Korean-aware search for every module.

- ``bigrams``: the bigram GIN index (SQL function, the ``search_contains`` lookup, migration helpers);
- ``planner``: TextSearch / contains_q, which turn "fields contain this text" into fast SQL;
- ``registry``: SearchSource and search_everywhere, one search across the modules' records.
"""

from .bigrams import (
    BIGRAM_FUNCTION_COST_SQL,
    BIGRAM_FUNCTION_SQL,
    DROP_BIGRAM_FUNCTION_SQL,
    SearchContains,
    bigram_index,
    postgresql_only,
    register_lookups,
    related_match_function,
)

# FREQUENT_TERM_MATCHES stays in .planner: it is read at call time (tests patch it there).
from .planner import NOWHERE, RelatedText, TextSearch, clean_text, contains, contains_q
from .registry import (
    MAX_HITS_PER_SOURCE,
    SearchHit,
    SearchSource,
    SourceResults,
    newest_first,
    register_search_source,
    search_everywhere,
    search_source,
    search_sources,
    unregister_search_source,
)

__all__ = [
    "BIGRAM_FUNCTION_COST_SQL",
    "BIGRAM_FUNCTION_SQL",
    "DROP_BIGRAM_FUNCTION_SQL",
    "MAX_HITS_PER_SOURCE",
    "NOWHERE",
    "RelatedText",
    "SearchContains",
    "SearchHit",
    "SearchSource",
    "SourceResults",
    "TextSearch",
    "bigram_index",
    "clean_text",
    "contains",
    "contains_q",
    "newest_first",
    "postgresql_only",
    "register_lookups",
    "register_search_source",
    "related_match_function",
    "search_everywhere",
    "search_source",
    "search_sources",
    "unregister_search_source",
]
