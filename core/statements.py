"""Reads compiled to SQL once per process, then run with each call's values and its time.

Building and compiling a queryset costs a page 0.3-0.7 ms of CPU; running the statement on an
index costs a few hundredths. A `Statement` builds its `values_list()` queryset the first time
it runs for a key, with a marker in place of each declared value, keeps the SQL, and finds in
its parameters the markers and the clock: any time between the two readings of the clock taken
around the build is the visibility rule's `timezone.now()`. Each run binds the call's values
and the time of the call there, so a scheduled post still appears when it is due.

The trap: whatever else the build reads is frozen into the SQL. A value that changes between
calls must be a declared parameter compared for equality (an int or a str: a LIKE pattern is
rewritten by its lookup, and a list changes the SQL's shape), and anything that makes two builds
differ (who reads, a page's slice) must be in the key. Clock values reach the SQL as datetimes.
Shapes are dropped when a setting changes (tests), and one that can hold no row (an empty
IN) runs no SQL.
"""

import datetime
import secrets
import threading
from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

KEYS = 64  # compiled shapes kept per statement, the oldest dropped past it


def _marker(kind: type):
    if kind is int:
        return 1_000_000_000 + secrets.randbelow(1_000_000_000)  # in any integer column's range
    if kind is str:
        return f"statement-marker-{secrets.token_hex(8)}"
    raise TypeError(f"A statement's value is an int or a str, not {kind.__name__}")


@dataclass(frozen=True)
class _Compiled:
    alias: str
    sql: str
    params: tuple
    values: dict  # {position: parameter name}
    times: frozenset  # positions of the clock
    row: type  # the namedtuple of the queryset's fields
    converters: tuple  # (position, converters, expression)


class Statement:
    """`build(*key, **values)` -> a `values_list()` queryset; `values` maps each parameter's
    name to its type (int or str)."""

    def __init__(self, build: Callable[..., QuerySet], **values: type):
        self.build = build
        self.values = values
        self._compiled: dict = {}
        self._lock = threading.Lock()

    def rows(self, *key, **values) -> list:
        """The queryset's rows as named tuples, as `build(*key, **values)` would return them."""
        return self._run(key, values, counted=False)

    def count(self, *key, **values) -> int:
        """How many rows `build(*key, **values)` has (its ordering left out)."""
        return self._run(key, values, counted=True)[0].count

    def _run(self, key, values, *, counted: bool) -> list:
        shape = (_generation[0], counted, *key)
        compiled = self._compiled.get(shape) or self._compile(shape, key, counted=counted)
        if compiled is EMPTY:
            return [_COUNTED(0)] if counted else []
        params = list(compiled.params)
        for position, name in compiled.values.items():
            params[position] = self.values[name](values[name])
        if compiled.times:
            connection = connections[compiled.alias]
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            for position in compiled.times:
                params[position] = now
        connection = connections[compiled.alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [_converted(row, compiled.converters, connection) for row in rows]
        return [compiled.row._make(row[: len(compiled.row._fields)]) for row in rows]

    def _compile(self, shape, key, *, counted: bool):
        markers = {name: _marker(kind) for name, kind in self.values.items()}
        before = timezone.now()
        queryset = self.build(*key, **markers)
        if not getattr(queryset, "_fields", None):
            raise TypeError("A statement's build returns a values_list() with named fields")
        compiler = (queryset.order_by() if counted else queryset).query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return self._keep(shape, EMPTY)
        after = timezone.now()
        positions = {}
        for name, marker in markers.items():
            found = [i for i, p in enumerate(params) if type(p) is type(marker) and p == marker]
            if not found:
                raise ValueError(f"{name!r} is not a parameter of the statement's SQL: {sql}")
            positions.update(dict.fromkeys(found, name))
        adapt = compiler.connection.ops.adapt_datetimefield_value
        bracket = (_instant(adapt(before)), _instant(adapt(after)))
        times = frozenset(
            i for i, p in enumerate(params) if i not in positions and _within(p, *bracket)
        )
        columns = [expression for expression, *_ in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, tuple(convs), expression)
            for position, (convs, expression) in compiler.get_converters(columns).items()
        )
        compiled = _Compiled(
            alias=queryset.db,
            sql=f"SELECT COUNT(*) FROM ({sql}) counted" if counted else sql,
            params=tuple(params),
            values=positions,
            times=times,
            row=_COUNTED if counted else namedtuple("Row", queryset._fields),
            converters=() if counted else converters,
        )
        return self._keep(shape, compiled)

    def _keep(self, shape, compiled):
        with self._lock:
            self._compiled[shape] = compiled
            if len(self._compiled) > KEYS:
                del self._compiled[next(iter(self._compiled))]
        return compiled


EMPTY = object()  # a shape that can hold no row
_COUNTED = namedtuple("Row", ["count"])
_generation = [0]


def _forget(**kwargs):
    _generation[0] += 1


setting_changed.connect(_forget, dispatch_uid="statements-forget")


def _instant(value):
    """A parameter as the time it spells (a datetime, or an SQLite time string), else None."""
    if isinstance(value, str):
        try:
            value = parse_datetime(value)
        except ValueError:
            return None
    return value if isinstance(value, datetime.datetime) else None


def _within(value, before, after) -> bool:
    instant = _instant(value)
    if instant is None or (instant.tzinfo is None) != (before.tzinfo is None):
        return False
    return before <= instant <= after


def _converted(row, converters, connection) -> tuple:
    row = list(row)
    for position, convs, expression in converters:
        value = row[position]
        for converter in convs:
            value = converter(value, expression, connection)
        row[position] = value
    return tuple(row)
