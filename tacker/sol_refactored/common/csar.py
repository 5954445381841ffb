"""Receiving, unpacking and inspecting a CSAR (SOL004 VNF package).

Status codes (SOL013 6.4): a body that is not a usable ZIP archive, or an
archive whose member paths would land outside the package, is a malformed
request: 400. A sound archive whose SOL004 content cannot be on-boarded
(neither CSAR structure of SOL004 4.1, a wrong Entry-Definitions, a file
that does not match its listed digest, a bad signature, a VNFD that does
not parse or lacks mandatory properties) is well formed but not
processable: 422. The detail always names the file and what is wrong with
it.

Which structure the package has is ``csar_layout``'s business, digests and
signature ``csar_integrity``'s; ``inspect`` gathers what VnfPkgInfo shows.
"""
import hashlib
import os
import re
import stat
import zipfile

from tacker.sol_refactored.common import csar_digest
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.common import tosca_meta
from tacker.sol_refactored.common import vnfd as vnfd_mod

CHUNK = 1024 * 1024
TOSCA_META = tosca_meta.PATH
# Members under this directory (images, charts, other artifacts) are
# unpacked only after the cheap checks.
ARTIFACTS = 'Files/'

_DRIVE = re.compile(r'^[A-Za-z]:')


def receive(stream, length, limit, dest):
    """Copy the request body to ``dest``; return its SHA-512 (hex).

    The size is checked while reading because a chunked upload has no
    Content-Length to refuse it by in advance.
    """
    if length is not None and length > limit:
        raise sol_ex.PayloadTooLarge(size=length, limit=limit)
    digest = hashlib.sha512()
    total = 0
    with open(dest, 'wb') as out:
        while True:
            want = CHUNK if length is None else min(CHUNK, length - total)
            if want <= 0:
                break
            data = stream.read(want)
            if not data:
                break
            total += len(data)
            if total > limit:
                raise sol_ex.PayloadTooLarge(size='more than %d' % limit,
                                             limit=limit)
            digest.update(data)
            out.write(data)
    if total == 0:
        raise sol_ex.BadRequest('The request body is empty; send the CSAR '
                                '(a ZIP archive) as the body.')
    return digest.hexdigest()


def _member_error(name, reason):
    return sol_ex.BadRequest('The CSAR member %r %s; a member must be a '
                             'regular file or directory with a relative '
                             'path inside the package.' % (name, reason))


def _checked_members(archive):
    seen = set()
    members = []
    for info in archive.infolist():
        name = info.filename
        if '\\' in name:
            raise _member_error(name, 'contains a backslash')
        if name.startswith('/') or _DRIVE.match(name):
            raise _member_error(name, 'has an absolute path')
        parts = [p for p in name.split('/') if p not in ('', '.')]
        if '..' in parts:
            raise _member_error(name, 'leaves the package with ".."')
        if not parts:
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise _member_error(name, 'is a symbolic link')
        if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or
                                      stat.S_ISDIR(mode)):
            raise _member_error(name, 'is a special file')
        if info.flag_bits & 0x1:
            raise sol_ex.UnprocessableEntity(
                'The CSAR member %r is encrypted; encrypted packages are '
                'not supported.' % name)
        norm = '/'.join(parts)
        if norm in seen:
            raise _member_error(name, 'appears twice')
        seen.add(norm)
        members.append((info, norm, info.is_dir()))
    return members


def unpacked_budget(zip_size, ratio, cap, floor):
    """How many bytes a CSAR of zip_size may unpack to."""
    return min(cap, max(floor, zip_size * ratio))


class Unpacker:
    """Unpacks a CSAR within a byte budget, in two passes.

    Opening checks every member's path and the sizes the archive
    declares against the budget, before anything is written (a "zip
    bomb" is refused from its central directory). ``first`` writes the
    small members (descriptors, TOSCA.meta, manifest, scripts), on which
    the cheap checks run; ``rest`` writes the others. While writing, a
    member may not grow past its declared size, nor the total past the
    budget.
    """

    def __init__(self, zip_path, budget):
        try:
            self.archive = zipfile.ZipFile(zip_path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as e:
            raise sol_ex.BadRequest('The uploaded file is not a ZIP archive '
                                    '(SOL004 CSAR): %s.' % e)
        self.budget = budget
        self.written = 0
        try:
            self.members = _checked_members(self.archive)
            declared = sum(info.file_size for info, _n, is_dir
                           in self.members if not is_dir)
            if declared > budget:
                raise sol_ex.PayloadTooLarge(
                    size='%d once unpacked' % declared, limit=budget)
        except Exception:
            self.archive.close()
            raise
        self.done = set()

    def close(self):
        self.archive.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def first(self, dest):
        self._write(dest, lambda info, norm: not norm.startswith(ARTIFACTS))

    def rest(self, dest):
        self._write(dest, lambda info, norm: True)

    def _write(self, dest, wanted):
        os.makedirs(dest, exist_ok=True)
        for info, norm, is_dir in self.members:
            if norm in self.done or not wanted(info, norm):
                continue
            self.done.add(norm)
            target = os.path.join(dest, *norm.split('/'))
            if is_dir:
                os.makedirs(target, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            self._copy(info, norm, target)

    def _copy(self, info, norm, target):
        left = info.file_size
        try:
            with self.archive.open(info) as src, open(target, 'xb') as out:
                while True:
                    data = src.read(CHUNK)
                    if not data:
                        break
                    left -= len(data)
                    self.written += len(data)
                    if left < 0:
                        raise sol_ex.BadRequest(
                            'The CSAR member %r unpacks to more than the %d '
                            'bytes the archive declares for it.' % (
                                norm, info.file_size))
                    if self.written > self.budget:
                        raise sol_ex.PayloadTooLarge(
                            size='more than %d once unpacked' % self.budget,
                            limit=self.budget)
                    out.write(data)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError,
                NotImplementedError, ValueError) as e:
            raise sol_ex.BadRequest(
                'The CSAR member %r cannot be read: %s.' % (norm, e))
        except FileExistsError:
            raise _member_error(norm, 'clashes with another member')


def extract(zip_path, dest, budget):
    """Unpack the whole CSAR into ``dest`` (see Unpacker)."""
    with Unpacker(zip_path, budget) as unpacker:
        unpacker.rest(dest)


def _files_under(root, top):
    base = os.path.join(root, top)
    found = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(filenames):
            found.append(os.path.relpath(os.path.join(dirpath, name),
                                         root).replace(os.sep, '/'))
    return found


def _sha256(path):
    return csar_digest.file_digest(path, 'SHA-256')


def _base_hot(root, flavour_id):
    top = 'BaseHOT/%s' % flavour_id
    if not os.path.isdir(os.path.join(root, *top.split('/'))):
        return None
    files = _files_under(root, top)
    templates = [f for f in files if f.count('/') == 2 and
                 f.endswith(('.yaml', '.yml'))]
    nested = [f for f in files if f.startswith(top + '/nested/')]
    return {'templates': templates, 'nested': nested}


def _artifact(root, path, integrity, layout):
    checksum = integrity.checksums.get(path) or {
        'algorithm': 'SHA-256', 'hash': _sha256(os.path.join(root, path))}
    artifact = {'artifactPath': path, 'checksum': checksum,
                'isEncrypted': False}
    if path in integrity.non_mano:
        artifact['nonManoArtifactSetId'] = integrity.non_mano[path]
    for where, kind in layout.classified().items():
        if path == where or path.startswith(where + '/'):
            artifact['artifactClassification'] = kind
    metadata = {}
    manifest = integrity.manifest
    if manifest is not None and path == manifest.name:
        metadata = {'manifest': dict(manifest.metadata),
                    'signature': integrity.signature_metadata()}
    for entry in layout.meta_files:
        if entry.name == path and entry.content_type:
            metadata['contentType'] = entry.content_type
    if metadata:
        artifact['metadata'] = metadata
    return artifact


def inspect(root, layout, integrity):
    """Read everything VnfPkgInfo records about an unpacked package.

    ``layout`` is the package's csar_layout.Layout and ``integrity`` what
    csar_integrity.check found. Returns a dict of VnfPkgInfo attributes
    (without checksum and state).
    """
    entry = layout.entry
    try:
        vnfd = vnfd_mod.Vnfd(root, entry)
        images = vnfd.software_images()
    except vnfd_mod.VnfdError as e:
        raise sol_ex.UnprocessableEntity(str(e))
    created = timeutil.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')
    software_images = []
    for node_name, image in sorted(images.items()):
        info = {'id': node_name, 'isEncrypted': False}
        info.update(image)
        if not info.get('provider'):
            info['provider'] = vnfd.vnf['provider']
        info['createdAt'] = created
        software_images.append(info)

    summary = vnfd.summary()
    summary['toscaMeta'] = layout.has_tosca_meta
    for flavour_id, flavour in summary['flavours'].items():
        base_hot = _base_hot(root, flavour_id)
        if base_hot is not None:
            flavour['baseHot'] = base_hot
    summary['kubernetesManifests'] = _files_under(root, 'Files/kubernetes')
    summary['scripts'] = _files_under(root, 'Scripts')

    not_artifacts = set(summary['vnfdFiles'])
    not_artifacts.update(i['imagePath'] for i in software_images
                         if i['imagePath'])
    artifacts = []
    for path in _files_under(root, ''):
        if path.startswith('TOSCA-Metadata/') or path in not_artifacts:
            continue
        artifacts.append(_artifact(root, path, integrity, layout))
    for external in integrity.external:
        artifact = {'artifactURI': external.source, 'isEncrypted': False,
                    'checksum': {
                        'algorithm': csar_digest.report_name(
                            external.algorithm),
                        'hash': external.hash.strip().lower()}}
        if external.source in integrity.non_mano:
            artifact['nonManoArtifactSetId'] = integrity.non_mano[
                external.source]
        artifacts.append(artifact)

    attrs = {api: vnfd.vnf[prop]
             for prop, api in vnfd_mod.VNF_IDENTITY.items()}
    attrs.update({'softwareImages': software_images,
                  'additionalArtifacts': artifacts,
                  'vnfdSummary': summary,
                  'packageSecurityOption': 'OPTION_1'})
    if integrity.signing_certificate:
        attrs['signingCertificate'] = integrity.signing_certificate
    return attrs
