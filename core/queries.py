"""Query helpers that know no model."""


def filter_given(queryset, **lookups):
    """``queryset`` narrowed by each lookup whose value was given (``None`` and ``""`` mean "any")."""
    given = {lookup: value for lookup, value in lookups.items() if value not in (None, "")}
    return queryset.filter(**given) if given else queryset
