"""Secrets at rest: values under secret keys encrypted in the database.

With ``[DEFAULT] secret_key_file`` set, every value the tree's one rule
calls a secret (``redact.is_secret_key``: passwords, tokens, private
keys, a subscription's credential blocks ...) inside the JSON columns
that hold them -- instances' ``vimConnectionInfo``, op occurrences'
``operationParams`` and ``stepRecord``, subscriptions' ``authentication``
-- is written as ``fernet:<token>`` (Fernet, from the ``cryptography``
library: AES-128-CBC with HMAC-SHA256) and read back in clear by the
server and the conductors only.

The key file holds one or more Fernet keys, one per line (``#`` starts a
comment). The first encrypts; all of them decrypt, which is how a key is
rotated: put a new key first, run ``tacker-db-manage encrypt-secrets``
(every secret is decrypted with whichever key fits and encrypted again
with the first), then remove the old key. Without a key file, secrets are
stored as they are (the server logs a warning at start).

A value that no configured key decrypts -- the key file is missing, or
it lost the key -- is an error that says so; it is never passed on
encrypted, nor guessed.
"""
import functools
import json
import os

from cryptography import fernet
from oslo_log import log as logging
import sqlalchemy as sa

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import redact

LOG = logging.getLogger(__name__)
CONF = config.CONF
PREFIX = 'fernet:'


class SealError(Exception):
    """The keys cannot be had, or do not decrypt what the database has."""


@functools.lru_cache(maxsize=4)
def _load(path, mtime):
    try:
        with open(path) as f:
            lines = [line.split('#', 1)[0].strip() for line in f]
    except OSError as e:
        raise SealError('[DEFAULT] secret_key_file %s cannot be read: %s' %
                        (path, e.strerror or e))
    keys = [line for line in lines if line]
    if not keys:
        raise SealError('[DEFAULT] secret_key_file %s holds no key; '
                        'generate one with "tacker-db-manage '
                        'generate-secret-key".' % path)
    try:
        return fernet.MultiFernet([fernet.Fernet(k) for k in keys])
    except (ValueError, TypeError):
        raise SealError('[DEFAULT] secret_key_file %s holds a line that is '
                        'not a Fernet key (32 url-safe base64-encoded '
                        'bytes).' % path)


def _cipher():
    path = CONF.secret_key_file
    if not path:
        return None
    try:
        mtime = os.stat(path).st_mtime
    except OSError as e:
        raise SealError('[DEFAULT] secret_key_file %s cannot be read: %s' %
                        (path, e.strerror or e))
    return _load(path, mtime)


def generate_key():
    return fernet.Fernet.generate_key().decode()


def _encrypt_value(cipher, value):
    if isinstance(value, str) and value.startswith(PREFIX):
        return value
    token = cipher.encrypt(json.dumps(value).encode('utf-8'))
    return PREFIX + token.decode('ascii')


def _decrypt_value(cipher, value):
    if cipher is None:
        raise SealError('The database holds encrypted secrets, but '
                        '[DEFAULT] secret_key_file is not set; configure '
                        'the key file they were encrypted with.')
    try:
        data = cipher.decrypt(value[len(PREFIX):].encode('ascii'))
    except (fernet.InvalidToken, ValueError):
        raise SealError('A secret in the database cannot be decrypted with '
                        'the keys of [DEFAULT] secret_key_file %s: the key '
                        'it was encrypted with is not there (wrong file, or '
                        'removed before "tacker-db-manage encrypt-secrets" '
                        'ran).' % CONF.secret_key_file)
    return json.loads(data.decode('utf-8'))


def _walk(value, at_secret):
    if isinstance(value, dict):
        return {k: (at_secret(v) if redact.is_secret_key(k) and
                    v not in (None, '') else _walk(v, at_secret))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, at_secret) for v in value]
    return value


def seal(value):
    """value with its secrets encrypted (as it is, without a key)."""
    cipher = _cipher()
    if cipher is None or value is None:
        return value
    return _walk(value, lambda v: _encrypt_value(cipher, v))


def unseal(value):
    """value with its encrypted secrets in clear."""
    if value is None:
        return value
    cipher = []

    def clear(item):
        if not (isinstance(item, str) and item.startswith(PREFIX)):
            return _walk(item, clear)
        if not cipher:
            cipher.append(_cipher())
        return _decrypt_value(cipher[0], item)
    return _walk(value, clear)


def reseal(value):
    """Secrets decrypted with any key and encrypted with the first."""
    return seal(unseal(value))


# (table, primary key, columns) that hold secrets.
SEALED = (('vnf_instances', 'id', ('vimConnectionInfo',)),
          ('vnf_lcm_op_occs', 'id', ('operationParams', 'stepRecord')),
          ('lccn_subscriptions', 'id', ('authentication',)))


def reseal_all(connection):
    """Every stored secret encrypted with the first key; rows changed.

    Works on the JSON text, below the models, so that a migration can
    call it. Without a key file it only checks that nothing stored is
    encrypted (it would not be readable).
    """
    changed = 0
    for table, key, columns in SEALED:
        rows = sa.table(table, sa.column(key, sa.String),
                        *[sa.column(c, sa.Text) for c in columns])
        for row in connection.execute(sa.select(rows)).mappings():
            values = {}
            for column in columns:
                text = row[column]
                if not text:
                    continue
                new = json.dumps(reseal(json.loads(text)), sort_keys=True)
                if new != text:
                    values[column] = new
            if values:
                connection.execute(rows.update().where(
                    rows.c[key] == row[key]).values(values))
                changed += 1
    return changed


def check(connection):
    """Raise SealError unless what is stored can be decrypted.

    Reads one encrypted value of each column at most, so it is cheap at
    start-up; warns when no key is configured.
    """
    if not CONF.secret_key_file:
        LOG.warning('[DEFAULT] secret_key_file is not set: VIM passwords, '
                    'tokens and subscription credentials are stored in '
                    'the database in clear.')
    else:
        _cipher()
    for table, _key, columns in SEALED:
        for column in columns:
            rows = sa.table(table, sa.column(column, sa.Text))
            text = connection.execute(
                sa.select(rows.c[column]).where(
                    rows.c[column].like('%' + PREFIX + '%')).limit(1)
            ).scalar()
            if text:
                unseal(json.loads(text))
