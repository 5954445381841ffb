"""Engine and sessions (oslo.db enginefacade)."""
import os
import threading

from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

from tacker.sol_refactored.common import config

_LOCK = threading.Lock()
_FACADE = None


def _sqlite_pragmas(dbapi_conn, _record):
    cursor = dbapi_conn.cursor()
    # Several API and conductor threads write; wait for the lock instead of
    # failing at once, and let readers go on while one writes.
    cursor.execute('PRAGMA busy_timeout = 30000')
    cursor.execute('PRAGMA journal_mode = WAL')
    cursor.execute('PRAGMA foreign_keys = ON')
    cursor.close()


def _sqlite_begin_immediate(conn, cursor, statement, parameters, context,
                            executemany):
    # oslo.db starts every SQLite transaction with a deferred BEGIN. Such a
    # transaction may read, and then fail at once with "database is
    # locked" when it tries to write after another writer committed: a
    # conditional UPDATE would answer 500 instead of "someone else holds
    # it". Taking the write lock at BEGIN makes writers queue (busy_timeout)
    # and read what the previous one committed.
    if statement == 'BEGIN':
        statement = 'BEGIN IMMEDIATE'
    return statement, parameters


def _facade():
    global _FACADE
    with _LOCK:
        if _FACADE is None:
            url = config.database_connection()
            if url.startswith('sqlite:///') and url != 'sqlite://':
                path = url[len('sqlite:///'):]
                if path and path != ':memory:':
                    os.makedirs(os.path.dirname(os.path.abspath(path)),
                                exist_ok=True)
            facade = enginefacade.transaction_context()
            facade.configure(connection=url, sqlite_fk=True)
            if url.startswith('sqlite'):
                engine = facade.writer.get_engine()
                sa.event.listen(engine, 'connect', _sqlite_pragmas)
                sa.event.listen(engine, 'before_cursor_execute',
                                _sqlite_begin_immediate, retval=True)
                # The engine opened a connection while it was made; start
                # again so that every connection has the pragmas.
                engine.dispose()
            _FACADE = facade
        return _FACADE


def reset():
    """Forget the engine (tests that switch databases)."""
    global _FACADE
    with _LOCK:
        if _FACADE is not None:
            try:
                _FACADE.writer.get_engine().dispose()
            except Exception:
                pass
        _FACADE = None


def get_engine():
    return _facade().writer.get_engine()


def writer(context):
    return _facade().writer.using(context)


def reader(context):
    return _facade().reader.using(context)
