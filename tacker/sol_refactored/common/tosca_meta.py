"""TOSCA-Metadata/TOSCA.meta of a CSAR (TOSCA Simple Profile, SOL004 4.1).

The file is blocks of ``Key: value`` lines separated by blank lines; a
line that starts with a space continues the value above it. The first
block describes the CSAR: ``Entry-Definitions`` names the VNFD, and
SOL004 adds ``ETSI-Entry-Manifest``, ``ETSI-Entry-Change-Log``,
``ETSI-Entry-Certificate``, ``ETSI-Entry-Licenses`` and
``ETSI-Entry-Tests``. Each further block describes one file: its
``Name`` (or ``Source``), optionally its ``Content-Type`` and its digest
as ``Algorithm`` and ``Hash``.
"""
import os

from tacker.sol_refactored.common import exceptions as sol_ex

PATH = 'TOSCA-Metadata/TOSCA.meta'

ENTRY_KEYS = {
    'manifest': 'ETSI-Entry-Manifest',
    'change_log': 'ETSI-Entry-Change-Log',
    'certificate': 'ETSI-Entry-Certificate',
    'licenses': 'ETSI-Entry-Licenses',
    'tests': 'ETSI-Entry-Tests',
}


def _refuse(text):
    return sol_ex.UnprocessableEntity('%s %s' % (PATH, text))


class FileEntry:
    """A per-file block: the package path and its optional digest."""

    def __init__(self, name, content_type, algorithm, digest, line):
        self.name = name
        self.content_type = content_type
        self.algorithm = algorithm
        self.hash = digest
        self.line = line


class ToscaMeta:

    def __init__(self, block0, files):
        self.keys = block0
        self.entry_definitions = block0.get('Entry-Definitions')
        for attr, key in ENTRY_KEYS.items():
            setattr(self, attr, block0.get(key))
        self.files = files


def package_path(value, what):
    """A relative path inside the package, normalised; 422 otherwise."""
    parts = [p for p in value.split('/') if p not in ('', '.')]
    if (value.startswith('/') or '..' in parts or '\\' in value or
            not parts or '://' in value):
        raise _refuse('%s %r must be a relative path inside the '
                      'package.' % (what, value))
    return '/'.join(parts)


def _blocks(lines):
    """[(first line number, {key: value})] of the file's blocks."""
    blocks = []
    current = None
    last_key = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            current = None
            continue
        if line[0] in ' \t':
            if current is None or last_key is None:
                raise _refuse('line %d continues no value: %r.' % (
                    number, line))
            current[1][last_key] += ' ' + line.strip()
            continue
        key, sep, value = line.partition(':')
        key = key.strip()
        if not sep or not key:
            raise _refuse('line %d is not "Key: value": %r.' % (
                number, line))
        if current is None:
            current = (number, {})
            blocks.append(current)
        if key in current[1]:
            raise _refuse('line %d repeats the key %s in one block.' % (
                number, key))
        current[1][key] = value.strip()
        last_key = key
    return blocks


def _file_entry(number, block):
    name = block.get('Name') or block.get('Source')
    if not name:
        raise _refuse('block at line %d describes a file but has no Name '
                      '(keys: %s).' % (number, ', '.join(sorted(block))))
    if 'Name' in block and 'Source' in block and (
            block['Name'] != block['Source']):
        raise _refuse('block at line %d names two files: Name %s and '
                      'Source %s.' % (number, block['Name'],
                                      block['Source']))
    if ('Algorithm' in block) != ('Hash' in block):
        raise _refuse('block at line %d for %s has %s without %s.' % (
            number, name, *(('Algorithm', 'Hash') if 'Algorithm' in block
                            else ('Hash', 'Algorithm'))))
    # Other keys describe the file further; TOSCA allows them.
    return FileEntry(package_path(name, 'Name'), block.get('Content-Type'),
                     block.get('Algorithm'), block.get('Hash'), number)


def parse(root):
    """The ToscaMeta of an unpacked package, checked for form."""
    path = os.path.join(root, *PATH.split('/'))
    try:
        with open(path, encoding='utf-8-sig') as f:
            lines = f.read().splitlines()
    except UnicodeDecodeError:
        raise sol_ex.UnprocessableEntity('%s is not UTF-8 text.' % PATH)
    blocks = _blocks(lines)
    if not blocks:
        raise _refuse('is empty; it must name the VNFD in its '
                      'Entry-Definitions key.')
    block0 = blocks[0][1]
    if 'Name' in block0 and 'Entry-Definitions' not in block0:
        raise _refuse('starts with a file block; its first block must '
                      'describe the CSAR (Entry-Definitions ...).')
    meta = ToscaMeta(block0, [_file_entry(n, b) for n, b in blocks[1:]])
    if not meta.entry_definitions:
        raise _refuse('has no Entry-Definitions key naming the VNFD.')
    meta.entry_definitions = package_path(meta.entry_definitions,
                                          'Entry-Definitions')
    for attr, key in ENTRY_KEYS.items():
        value = getattr(meta, attr)
        if value is not None:
            if not value:
                raise _refuse('has an empty %s.' % key)
            setattr(meta, attr, package_path(value, key))
    return meta
