"""Reader queries of one fixed shape, built and compiled once per process and run with the time
of each call bound where the visibility rule put its "now".

Building and compiling a queryset costs a list page more CPU than running it (the home page's
tag cloud: about 1 ms to build and compile, 0.2 ms to run on the demo). A `FixedQuery` wraps a
`build()` that takes nothing from the request and returns a `values_list()` queryset; its SQL
is compiled at the first call, and the parameters that are the time it was built at (the clock
read by `timezone.now()` inside the rule, found between a reading before and one after) are the
positions each later call puts the current time into. So a scheduled post still appears when
it is due, with no job and no stale list: only the SQL is kept, never rows.

The trap: anything else `build()` reads that can change (a setting, a row, the request) is
frozen into the SQL at the first call. Filters from the request belong in an ordinary queryset.
Shapes are kept per database alias and dropped when a test changes a setting.
"""

import datetime
import threading

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_generation = {"value": 0}


class FixedQuery:
    def __init__(self, build):
        self.build = build  # () -> a values_list() queryset, the same shape at every call
        self._compiled: dict = {}
        self._lock = threading.Lock()

    def rows(self, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        """The query's rows as `build()` would read them now, as tuples of its SELECT's
        columns (a values_list()'s fields, then its annotations)."""
        connection = connections[using]
        key = (_generation["value"], using)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(using)
            with self._lock:
                self._compiled = {key: compiled}
        if compiled is EMPTY:
            return []
        sql, params, times, converters, width = compiled
        if times:
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            params = [now if index in times else value for index, value in enumerate(params)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if width is not None:  # ordering columns a DISTINCT made the SELECT carry
            rows = [row[:width] for row in rows]
        if converters:
            rows = [_converted(row, converters, connection) for row in rows]
        return rows

    def _compile(self, using):
        connection = connections[using]
        before = timezone.now()
        query = self.build().query
        compiler = query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return EMPTY
        after = timezone.now()
        times = {
            index
            for index, value in enumerate(params)
            if (moment := _as_time(value, connection)) is not None and before <= moment <= after
        }
        columns = [column for column, *_ in compiler.select]
        converters = compiler.get_converters(columns[: compiler.col_count])
        width = compiler.col_count if compiler.has_extra_select else None
        return sql, tuple(params), frozenset(times), converters, width


EMPTY = object()  # a shape that can hold no row (an empty IN, none())


def _as_time(value, connection):
    """A parameter as the aware time it spells, else None (a filter's value spells anything)."""
    if isinstance(value, str):
        try:
            value = parse_datetime(value)
        except ValueError:
            return None
    if not isinstance(value, datetime.datetime):
        return None
    if timezone.is_naive(value):  # SQLite's adapted times are naive in the connection's zone
        value = timezone.make_aware(value, connection.timezone)
    return value


def _converted(row, converters, connection) -> tuple:
    """`row` through the backend's converters (SQLite's times and decimals, booleans)."""
    row = list(row)
    for position, (functions, expression) in converters.items():
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return tuple(row)


def _forget(**kwargs):
    _generation["value"] += 1


setting_changed.connect(_forget, dispatch_uid="fixed-queries-forget")
