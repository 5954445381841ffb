"""The manifest file (``.mf``) of a VNF package (SOL004 4.3).

A manifest starts with a ``metadata:`` block (``vnf_provider_id``,
``vnf_product_name``, ``vnf_release_date_time``, ``vnf_package_version``
and, from SOL004 v3.3.1, ``compatible_specification_versions`` ...),
then lists files as blocks of ``Source``, ``Algorithm`` and ``Hash``. A
``non_mano_artifact_sets:`` block groups files into named sets. Security
option 1 ends the manifest with the CMS signature of everything before
it, between ``-----BEGIN CMS-----`` and ``-----END CMS-----``.
"""
import base64
import binascii

from tacker.sol_refactored.common import exceptions as sol_ex

MANDATORY_METADATA = ('vnf_provider_id', 'vnf_product_name',
                      'vnf_release_date_time', 'vnf_package_version')
BEGIN_CMS = '-----BEGIN CMS-----'
END_CMS = '-----END CMS-----'
ENTRY_KEYS = ('Source', 'Algorithm', 'Hash')


class Entry:
    """One listed file: package path or URI, and its digest."""

    def __init__(self, source, line):
        self.source = source
        self.line = line
        self.algorithm = None
        self.hash = None

    @property
    def external(self):
        return '://' in self.source


class Manifest:

    def __init__(self, name):
        self.name = name
        self.metadata = {}
        self.entries = []
        self.non_mano_sets = {}       # set name -> [package paths]
        self.signed_content = b''     # the bytes before the CMS block
        self.cms = None               # the DER of the signature, or None


def _split_signature(name, data):
    """(content before the CMS block, the CMS DER or None)."""
    marker = data.find(BEGIN_CMS.encode())
    if marker < 0:
        if END_CMS.encode() in data:
            raise _refuse(name, 'has an %s line without %s.' % (
                END_CMS, BEGIN_CMS))
        return data, None
    if marker > 0 and data[marker - 1:marker] not in (b'\n', b'\r'):
        raise _refuse(name, 'has %s inside a line; it must start a line.'
                      % BEGIN_CMS)
    content = data[:marker]
    rest = data[marker + len(BEGIN_CMS):]
    end = rest.find(END_CMS.encode())
    if end < 0:
        raise _refuse(name, 'has %s but no %s.' % (BEGIN_CMS, END_CMS))
    if rest[end + len(END_CMS):].strip():
        raise _refuse(name, 'has text after %s; the CMS signature must '
                      'end the manifest.' % END_CMS)
    body = b''.join(rest[:end].split())
    try:
        cms = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as e:
        raise _refuse(name, 'has a CMS block that is not base64: %s.' % e)
    if not cms:
        raise _refuse(name, 'has an empty CMS block.')
    return content, cms


def _refuse(name, text):
    return sol_ex.UnprocessableEntity('The manifest %s %s' % (name, text))


def parse(name, data):
    """The Manifest in ``data`` (bytes), checked for form."""
    manifest = Manifest(name)
    content, manifest.cms = _split_signature(name, data)
    manifest.signed_content = content
    try:
        lines = content.decode('utf-8-sig').splitlines()
    except UnicodeDecodeError:
        raise _refuse(name, 'is not UTF-8 text.')
    section = None
    entry = None
    current_set = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            entry = None
            continue
        indented = line[0] in ' \t'
        key, sep, value = line.strip().partition(':')
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise _refuse(name, 'line %d is not "key: value": %r.' % (
                number, line))
        if not indented and key in ('metadata', 'non_mano_artifact_sets'):
            if value:
                raise _refuse(name, 'line %d: %s: starts a block and takes '
                              'no value.' % (number, key))
            section = key
            entry = current_set = None
            continue
        if section == 'non_mano_artifact_sets' and indented:
            if key == 'Source':
                if current_set is None:
                    raise _refuse(name, 'line %d lists a Source before any '
                                  'non-MANO artifact set name.' % number)
                manifest.non_mano_sets[current_set].append(
                    _path(name, value, number))
            elif value:
                raise _refuse(name, 'line %d: a non-MANO artifact set has '
                              'only Source lines, not %s.' % (number, key))
            else:
                current_set = key
                manifest.non_mano_sets.setdefault(key, [])
            continue
        if section == 'metadata' and key not in ENTRY_KEYS:
            if key in manifest.metadata:
                raise _refuse(name, 'line %d repeats the metadata %s.' % (
                    number, key))
            manifest.metadata[key] = value
            continue
        section = 'entries'
        entry = _entry_line(manifest, entry, key, value, number)
    _check(manifest)
    return manifest


def _path(name, value, number):
    parts = [p for p in value.split('/') if p not in ('', '.')]
    if '://' in value:
        return value
    if value.startswith('/') or '..' in parts or '\\' in value or not parts:
        raise _refuse(name, 'line %d: Source %r must be a relative path '
                      'inside the package or a URI.' % (number, value))
    return '/'.join(parts)


def _entry_line(manifest, entry, key, value, number):
    name = manifest.name
    if key == 'Source':
        source = _path(name, value, number)
        if any(e.source == source for e in manifest.entries):
            raise _refuse(name, 'line %d lists %s a second time.' % (
                number, source))
        entry = Entry(source, number)
        manifest.entries.append(entry)
        return entry
    if key in ('Signature', 'Certificate'):
        raise _refuse(name, 'line %d gives a %s for one file; signatures '
                      'of single artifacts are not supported here: sign '
                      'the manifest instead (SOL004 security option 1).'
                      % (number, key))
    if key not in ENTRY_KEYS:
        raise _refuse(name, 'line %d has the key %s, which a file entry '
                      'does not have (Source, Algorithm, Hash).' % (
                          number, key))
    if entry is None:
        raise _refuse(name, 'line %d: %s belongs to a file entry, which '
                      'starts with Source.' % (number, key))
    attr = key.lower()
    if getattr(entry, attr) is not None:
        raise _refuse(name, 'line %d repeats %s for %s.' % (
            number, key, entry.source))
    setattr(entry, attr, value)
    return entry


def _check(manifest):
    name = manifest.name
    missing = [k for k in MANDATORY_METADATA
               if not manifest.metadata.get(k)]
    if missing:
        raise _refuse(name, 'lacks the metadata %s (SOL004 4.3.2 requires '
                      '%s in its metadata: block).' % (
                          ', '.join(missing), ', '.join(MANDATORY_METADATA)))
    for entry in manifest.entries:
        absent = [k for k in ('Algorithm', 'Hash')
                  if getattr(entry, k.lower()) is None]
        if absent:
            raise _refuse(name, 'lists %s (line %d) without %s.' % (
                entry.source, entry.line, ' and '.join(absent)))
