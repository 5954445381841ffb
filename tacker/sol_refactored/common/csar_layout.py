"""Which of the two CSAR structures of SOL004 (4.1) a package has.

- With ``TOSCA-Metadata/TOSCA.meta``: its ``Entry-Definitions`` names
  the VNFD, and its ETSI keys the manifest, change log, certificate,
  licenses and tests. A manifest not named there is looked for at the
  root under the base name of the VNFD (``Definitions/vnfd.yaml`` ->
  ``vnfd.mf``), as in the other structure.
- Without it: exactly one YAML file at the root is the VNFD; its
  ``metadata`` has ``template_name`` and ``template_version``. The
  manifest is the ``.mf`` file of the same base name beside it, the
  certificate the ``.cert`` of that name. The change log is
  ``ChangeLog.txt``, the licenses ``Licenses/`` and the tests ``Tests/``
  at the root, when they are there.
"""
import os

import yaml

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import tosca_meta

YAML_SUFFIXES = ('.yaml', '.yml')


class Layout:
    """Where the parts of an unpacked package are (package paths)."""

    def __init__(self, entry, has_tosca_meta):
        self.entry = entry
        self.has_tosca_meta = has_tosca_meta
        self.manifest = None
        self.certificate = None
        self.change_log = None
        self.licenses = None
        self.tests = None
        self.meta_files = []    # TOSCA.meta per-file blocks

    def classified(self):
        """{package path or directory: artifactClassification}."""
        found = {}
        for path, kind in ((self.change_log, 'HISTORY'),
                           (self.licenses, 'LICENSE'),
                           (self.tests, 'TESTING')):
            if path:
                found[path] = kind
        return found


def _full(root, rel):
    return os.path.join(root, *rel.split('/'))


def _root_files(root):
    return sorted(n for n in os.listdir(root)
                  if os.path.isfile(os.path.join(root, n)))


def _base(entry):
    name = entry.rsplit('/', 1)[-1]
    return name.rsplit('.', 1)[0]


def find(root):
    """The Layout of an unpacked package; 422 saying what is missing."""
    if os.path.isfile(_full(root, tosca_meta.PATH)):
        layout = _with_tosca_meta(root)
    else:
        layout = _without_tosca_meta(root)
    named = {layout.manifest}
    others = [n for n in _root_files(root)
              if n.endswith('.mf') and n not in named]
    if others:
        raise sol_ex.UnprocessableEntity(
            'The CSAR has the manifest file(s) %s at its root, which %s; '
            'a package has one manifest: %s.' % (
                ', '.join(others),
                'TOSCA.meta does not name (ETSI-Entry-Manifest)' if
                layout.has_tosca_meta else 'do not match the VNFD %s' %
                layout.entry,
                'name it in ETSI-Entry-Manifest' if layout.has_tosca_meta
                else 'give it the base name of the VNFD'))
    return layout


def _with_tosca_meta(root):
    meta = tosca_meta.parse(root)
    where = tosca_meta.PATH
    entry = meta.entry_definitions
    if not os.path.isfile(_full(root, entry)):
        raise sol_ex.UnprocessableEntity(
            '%s: Entry-Definitions names %s, which is not in the package.'
            % (where, entry))
    if not entry.endswith(YAML_SUFFIXES):
        raise sol_ex.UnprocessableEntity(
            '%s: Entry-Definitions names %s, which is not a YAML file.' % (
                where, entry))
    layout = Layout(entry, True)
    layout.meta_files = meta.files
    for attr, key in tosca_meta.ENTRY_KEYS.items():
        value = getattr(meta, attr)
        if value is None:
            continue
        full = _full(root, value)
        directory_ok = attr in ('licenses', 'tests')
        if not (os.path.isfile(full) or
                (directory_ok and os.path.isdir(full))):
            raise sol_ex.UnprocessableEntity(
                '%s: %s names %s, which is not in the package.' % (
                    where, key, value))
        setattr(layout, attr, value)
    if layout.manifest is None:
        fallback = _base(entry) + '.mf'
        if os.path.isfile(_full(root, fallback)):
            layout.manifest = fallback
    elif not layout.manifest.endswith('.mf'):
        raise sol_ex.UnprocessableEntity(
            '%s: ETSI-Entry-Manifest names %s; a manifest file has the '
            'extension .mf.' % (where, layout.manifest))
    if layout.certificate is None and layout.manifest:
        fallback = layout.manifest[:-3] + '.cert'
        if os.path.isfile(_full(root, fallback)):
            layout.certificate = fallback
    return layout


def _without_tosca_meta(root):
    files = _root_files(root)
    yamls = [n for n in files if n.endswith(YAML_SUFFIXES)]
    if not yamls:
        if any(n.endswith('.cms') for n in files) and any(
                n.endswith('.zip') for n in files):
            raise sol_ex.UnprocessableEntity(
                'The CSAR holds a signed ZIP archive (SOL004 security '
                'option 2), which is not supported; upload a package whose '
                'manifest is signed (security option 1).')
        raise sol_ex.UnprocessableEntity(
            'The CSAR has neither %s nor a YAML file at its root: SOL004 '
            '4.1 wants one of the two to name the VNFD.' % tosca_meta.PATH)
    if len(yamls) > 1:
        raise sol_ex.UnprocessableEntity(
            'The CSAR has no %s and %d YAML files at its root (%s); '
            'without TOSCA.meta exactly one YAML file at the root is the '
            'VNFD (SOL004 4.1).' % (tosca_meta.PATH, len(yamls),
                                    ', '.join(yamls)))
    entry = yamls[0]
    _check_template_metadata(root, entry)
    layout = Layout(entry, False)
    manifest = _base(entry) + '.mf'
    if manifest not in files:
        raise sol_ex.UnprocessableEntity(
            'The CSAR has no %s, so its VNFD is %s, and then SOL004 4.1 '
            'wants the manifest %s beside it; it is not there.' % (
                tosca_meta.PATH, entry, manifest))
    layout.manifest = manifest
    if _base(entry) + '.cert' in files:
        layout.certificate = _base(entry) + '.cert'
    if 'ChangeLog.txt' in files:
        layout.change_log = 'ChangeLog.txt'
    for attr, name in (('licenses', 'Licenses'), ('tests', 'Tests')):
        if os.path.isdir(os.path.join(root, name)):
            setattr(layout, attr, name)
    return layout


def _check_template_metadata(root, entry):
    try:
        with open(os.path.join(root, entry), 'rb') as f:
            template = yaml.safe_load(f)
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise sol_ex.UnprocessableEntity('%s is not valid YAML: %s' % (
            entry, e))
    metadata = template.get('metadata') if isinstance(template, dict) else (
        None)
    if not isinstance(metadata, dict):
        metadata = {}
    missing = [k for k in ('template_name', 'template_version')
               if not isinstance(metadata.get(k), (str, int, float)) or
               metadata.get(k) == '']
    if missing:
        raise sol_ex.UnprocessableEntity(
            'The CSAR has no %s, so its root YAML file %s is the VNFD, and '
            'then its metadata must have %s (SOL004 4.1); missing: %s.' % (
                tosca_meta.PATH, entry, 'template_name and '
                'template_version', ', '.join(missing)))
