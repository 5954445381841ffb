"""Digests of package files, as the manifest and TOSCA.meta list them.

SOL004 lets a package give, for each file, an ``Algorithm`` and a
``Hash``; the permitted algorithms are SHA-256, SHA-384 and SHA-512,
written in any case, with or without the hyphen (``SHA-256``,
``sha256``). Files are hashed in chunks, so their size does not matter.
"""
import hashlib
import hmac
import string

CHUNK = 1024 * 1024

# Normalised name -> (hashlib name, the name we report).
ALGORITHMS = {
    'SHA256': ('sha256', 'SHA-256'),
    'SHA384': ('sha384', 'SHA-384'),
    'SHA512': ('sha512', 'SHA-512'),
}
HEX_LENGTH = {'SHA256': 64, 'SHA384': 96, 'SHA512': 128}


class DigestError(Exception):
    """A listed digest is wrong or cannot be checked; names the file."""


def normalise(algorithm):
    """The key of ALGORITHMS for a written algorithm name, or None."""
    if not isinstance(algorithm, str):
        return None
    key = algorithm.strip().upper().replace('-', '').replace('_', '')
    return key if key in ALGORITHMS else None


def report_name(algorithm):
    return ALGORITHMS[normalise(algorithm)][1]


def file_digest(path, algorithm):
    """Hex digest of a file, read in chunks."""
    digest = hashlib.new(ALGORITHMS[normalise(algorithm)][0])
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(CHUNK), b''):
            digest.update(block)
    return digest.hexdigest()


def check_listing(where, name, algorithm, value):
    """Refuse an unknown algorithm or a hash that is not hex of its size."""
    key = normalise(algorithm)
    if key is None:
        raise DigestError(
            '%s lists %s with the hash algorithm %r, which is not '
            'supported; use SHA-256, SHA-384 or SHA-512.' % (
                where, name, algorithm))
    text = (value or '').strip()
    if (len(text) != HEX_LENGTH[key] or
            any(c not in string.hexdigits for c in text)):
        raise DigestError(
            '%s lists %s with the %s hash %r, which is not %d hexadecimal '
            'digits.' % (where, name, ALGORITHMS[key][1], value,
                         HEX_LENGTH[key]))
    return key, text.lower()


def verify_file(where, name, path, algorithm, value):
    """Check one file against its listed digest; the checksum dict."""
    key, expected = check_listing(where, name, algorithm, value)
    found = file_digest(path, key)
    if not hmac.compare_digest(found, expected):
        raise DigestError(
            'The %s hash of %s does not match the one %s lists: expected '
            '%s, found %s. The file was changed after the listing was '
            'made, or the listing is wrong.' % (
                ALGORITHMS[key][1], name, where, expected, found))
    return {'algorithm': ALGORITHMS[key][1], 'hash': found}
