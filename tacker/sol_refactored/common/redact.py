"""One rule for secrets, for the whole tree: what they are, how hidden.

A key names a secret when, lower-cased and with ``_`` and ``-`` taken
out, it

- is one of ``SECRET_NAMES`` (``paramsbasic`` and
  ``paramsoauth2clientcredentials``, the credential blocks of a
  subscription's ``authentication``), or
- contains one of ``SECRET_WORDS``: ``password``, ``passwd``,
  ``passphrase``, ``secret`` (``client_secret``, ``clientSecret``), or
- ends with one of ``SECRET_ENDINGS``: ``token`` (``token``,
  ``bearer_token``, ``authToken``; not ``tokenEndpoint``), ``privatekey``,
  ``clientkey``, ``apikey``, ``certkey`` (``ssl_ca_cert_key``).

So ``Password``, ``passwd``, ``vim-password`` and ``clientPassword`` are
all secrets. Values under such keys are replaced by ``MASK`` in API
answers, notifications, logs and error details (``mask_dict``), or left
out (``drop_secrets``). Free text (a script's output, a VIM's error) is
scrubbed of the secrets' values only when they are at least
``MIN_SCRUB_LENGTH`` characters long: scrubbing a short value garbles
the text (a token ``x`` would turn "nginx" into "ngin***") and tells
where the secret was; texts Tacker builds itself are built from redacted
data and need no scrubbing.
"""
SECRET_NAMES = frozenset(['paramsbasic', 'paramsoauth2',
                          'paramsoauth2clientcredentials'])
SECRET_WORDS = ('password', 'passwd', 'passphrase', 'secret')
SECRET_ENDINGS = ('token', 'privatekey', 'clientkey', 'apikey', 'certkey')
MASK = '***'
MIN_SCRUB_LENGTH = 8


def is_secret_key(key):
    if not isinstance(key, str):
        return False
    name = key.lower().replace('_', '').replace('-', '')
    return (name in SECRET_NAMES or
            any(word in name for word in SECRET_WORDS) or
            name.endswith(SECRET_ENDINGS))


def collect_secrets(value, found=None):
    """Every string held under a secret key, anywhere in value."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            if is_secret_key(key):
                _strings(item, found)
            else:
                collect_secrets(item, found)
    elif isinstance(value, list):
        for item in value:
            collect_secrets(item, found)
    return found


def _strings(value, found):
    if isinstance(value, str) and value:
        found.add(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, found)
    elif isinstance(value, list):
        for item in value:
            _strings(item, found)


def mask_text(text, secrets):
    """text without the secrets of at least MIN_SCRUB_LENGTH characters."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= MIN_SCRUB_LENGTH:
            text = text.replace(secret, MASK)
    return text


def mask_dict(value):
    """A copy with every secret key's value replaced by the mask."""
    if isinstance(value, dict):
        return {k: (MASK if is_secret_key(k) and v not in (None, '')
                    else mask_dict(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [mask_dict(v) for v in value]
    return value


def drop_secrets(value):
    """A copy of a dict without its secret keys (one level)."""
    return {k: v for k, v in value.items() if not is_secret_key(k)}
