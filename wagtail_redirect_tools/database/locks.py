"""Make concurrent writers of one kind take turns, on every database Django supports.

A rule such as "no two windows of one source overlap" is checked by reading what
exists and then writing. Two processes doing that at the same moment would both see
nothing and both write. :func:`hold` makes them take turns: it updates one row of
``WriteLock`` as the first statement of the transaction, and a row being updated is
locked until the transaction ends:

- PostgreSQL and MySQL/MariaDB lock the row; the second writer's UPDATE waits for the
  first to commit, and its later reads (READ COMMITTED, Django's level on both) see
  what the first wrote.
- SQLite locks the whole database for writing at the first write of a transaction;
  the second writer waits (the connection's ``timeout``) for the first to commit.
  Because the lock is taken before anything is read, its reads are not stale.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from ..models import WriteLock

# The kinds of writes that take turns.
WINDOWS = "windows"
REDIRECTS = "redirects"
NOT_FOUND = "not_found"


def hold(name: str, *, using: str | None = None) -> None:
    """Wait until no other transaction holds ``name``, then hold it until this one ends.

    Call it first in an ``atomic`` block, before reading what the write depends on.
    """
    if not transaction.get_connection(using).in_atomic_block:
        raise TransactionManagementError("locks.hold() needs a transaction (atomic block).")
    locks = WriteLock.objects.using(using)
    if locks.filter(name=name).update(taken_at=timezone.now()):
        return
    try:
        with transaction.atomic(using=using):
            locks.create(name=name, taken_at=timezone.now())
    except IntegrityError:  # another writer created it first: wait for it like any other
        locks.filter(name=name).update(taken_at=timezone.now())
