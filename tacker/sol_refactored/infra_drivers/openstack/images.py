"""Software images of the VNF package, put into Glance for the stack.

A VDU or virtual storage whose ``tosca.artifacts.nfv.SwImage`` artifact
names a file of the package gets that file as a Glance image before a
stack is made from the package; Heat is then given the image's id (in
``nfv.VDU.<node>.vcImageId``). An image named only by ``sw_image_data``
(no file, or a URL) stays what it was: the name of an image the cloud has.

Before an image is uploaded, the file's checksum is computed with the
VNFD's algorithm (sha-256, sha-384 or sha-512) and compared with the
VNFD's hash. An image the cloud already holds is reused when it is
active, has the same container and disk format and the same content:
its ``os_hash_value`` is the file's SHA-512 (Glance's default hashing
algorithm) or it carries ``tacker_content_sha512`` with that value.

An image uploaded here is private and carries, as Glance properties,
``tacker_vnf_instance_id`` (the instance), ``tacker_lcm_op_occ_id`` (the
operation) and ``tacker_content_sha512``. The step record names every
image (uploaded or reused) and is saved before an image is created, so a
retry finds the image of the earlier attempt by those properties instead
of uploading it twice. An image is deleted (rollback of the operation,
terminate, the old images after a change of package) only when it was
uploaded by Tacker (it carries ``tacker_vnf_instance_id``), no other VNF
instance's record or unfinished operation names it, and no server of
the project runs it: the last VNF that uses an image removes it.
"""
import hashlib
import math
import os

from oslo_log import log as logging

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import vnf_package_store as pkg_store
from tacker.sol_refactored.common import vnfd as vnfd_mod
from tacker.sol_refactored.infra_drivers.openstack import context as osctx
from tacker.sol_refactored.infra_drivers.openstack import stack as os_stack
from tacker.sol_refactored.infra_drivers.openstack import vim as os_vim
from tacker.sol_refactored import objects

LOG = logging.getLogger(__name__)
CONF = os_vim.CONF

HASHES = {'sha256': 'sha256', 'sha384': 'sha384', 'sha512': 'sha512'}
OWNER = 'tacker_vnf_instance_id'
OPERATION = 'tacker_lcm_op_occ_id'
CONTENT = 'tacker_content_sha512'
GIB, GB = 1024 ** 3, 1000 ** 3
MIB, MB = 1024 ** 2, 1000 ** 2
UNFINISHED = ('STARTING', 'PROCESSING', 'FAILED_TEMP', 'ROLLING_BACK')
BLOCK = 1 << 20


class ImageError(Exception):
    """An image of the VNFD cannot be uploaded; the message says why."""


# -- what the package holds (no VIM) -------------------------------------

def hash_name(algorithm):
    """hashlib's name for a SOL001 checksum algorithm (sha-256 ...)."""
    key = str(algorithm or '').lower().replace('-', '').replace('_', '')
    return HASHES.get(key)


def _units(size, binary, decimal):
    """A byte count in the unit the VNFD author most likely meant.

    Glance counts min_disk in GB and min_ram in MB; "1 GiB" and "1 GB"
    are both 1 there, and any other size is rounded up.
    """
    if not size:
        return 0
    if size % binary == 0:
        return size // binary
    if size % decimal == 0:
        return size // decimal
    return math.ceil(size / binary)


def _checked_path(root, node, path):
    """The absolute path of an image file, refused unless inside root."""
    where = '%s: the software image file %s' % (node, path)
    if os.path.isabs(path) or path.startswith(('/', '\\')):
        raise ImageError('%s is an absolute path; it must be a path '
                         'inside the VNF package.' % where)
    normal = os.path.normpath(path)
    if normal == '..' or normal.startswith('..' + os.sep):
        raise ImageError('%s leads outside the VNF package.' % where)
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(root, normal))
    if os.path.commonpath([real_root, real]) != real_root:
        raise ImageError('%s leads outside the VNF package through a '
                         'symbolic link.' % where)
    if not os.path.isfile(real):
        raise ImageError('%s is not a file of the VNF package.' % where)
    return real


def specs(root, flavour, images):
    """What to upload for a flavour: one dict per VDU/storage with a file.

    ``root`` is the package directory, ``flavour`` the flavour's
    vnfdSummary entry, ``images`` vnfd.Vnfd.software_images(flavour id).
    Nodes whose image has no file in the package are left out. Raises
    ImageError naming the node and file when the image cannot be used.
    """
    kinds = {}
    for vdu_id, vdu in (flavour.get('vdus') or {}).items():
        kinds[vdu_id] = 'vdu'
        for storage in vdu.get('virtualStorages') or []:
            kinds.setdefault(storage, 'storage')
    for storage in flavour.get('virtualStorages') or {}:
        kinds.setdefault(storage, 'storage')
    found = []
    for node in sorted(images):
        image = images[node]
        path = image.get('imagePath')
        if not path or node not in kinds:
            continue
        _checked_path(root, node, path)
        checksum = image.get('checksum') or {}
        algorithm = hash_name(checksum.get('algorithm'))
        if algorithm is None:
            raise ImageError(
                '%s: the checksum algorithm %s of software image %s is not '
                'one of sha-256, sha-384, sha-512.' % (
                    node, checksum.get('algorithm'), path))
        found.append({
            'node': node, 'kind': kinds[node], 'path': path,
            'name': image['name'], 'version': image.get('version'),
            'algorithm': algorithm,
            'hash': str(checksum.get('hash', '')).strip().lower(),
            'containerFormat': image['containerFormat'].lower(),
            'diskFormat': image['diskFormat'].lower(),
            'minDisk': _units(image.get('minDisk'), GIB, GB),
            'minRam': _units(image.get('minRam'), MIB, MB)})
    return found


def package_specs(pkg, flavour_id):
    """specs() of an on-boarded package's flavour; 422 when unusable."""
    flavour = ((pkg.obj_get('vnfdSummary') or {}).get('flavours') or
               {}).get(flavour_id) or {}
    try:
        images = pkg_store.load_vnfd(pkg).software_images(flavour_id)
        return specs(pkg_store.package_dir(pkg.id), flavour, images)
    except (ImageError, vnfd_mod.VnfdError) as e:
        raise sol_ex.UnprocessableEntity(
            'VNF package %s (vnfdId %s): %s' % (pkg.id, pkg.vnfdId, e))


def digests(path, algorithm):
    """(hex digest with ``algorithm``, hex SHA-512) of a file, read once."""
    wanted = hashlib.new(algorithm)
    sha512 = wanted if algorithm == 'sha512' else hashlib.sha512()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(BLOCK), b''):
            wanted.update(block)
            if sha512 is not wanted:
                sha512.update(block)
    return wanted.hexdigest(), sha512.hexdigest()


# -- Glance --------------------------------------------------------------

def _list(vim, what, **filters):
    query = '&'.join('%s=%s' % item for item in sorted(filters.items()))
    return vim.get(what, 'image', '/v2/images?' + query).get('images') or []


def _show(vim, image_id):
    try:
        return vim.get('read image %s' % image_id, 'image',
                       '/v2/images/%s' % image_id)
    except os_vim.VimError as e:
        if os_vim.is_not_found(e):
            return None
        raise


def _delete(vim, image_id):
    try:
        vim.rest('delete image %s' % image_id, 'image', 'DELETE',
                 '/v2/images/%s' % image_id)
    except os_vim.VimError as e:
        if not os_vim.is_not_found(e):
            raise


def _same_kind(image, spec):
    return (image.get('container_format') == spec['containerFormat'] and
            image.get('disk_format') == spec['diskFormat'])


def reusable(vim, spec, sha512):
    """An active image of the same content and formats, or None."""
    candidates = [i for i in _list(vim, 'look for image %s' % spec['name'],
                                   os_hash_value=sha512, status='active')
                  if i.get('os_hash_algo') == 'sha512']
    candidates += _list(vim, 'look for image %s' % spec['name'],
                        status='active', **{CONTENT: sha512})
    for image in candidates:
        if image.get('status') == 'active' and _same_kind(image, spec):
            return image
    return None


def _create(vim, spec, sha512, inst_id, occ_id):
    body = {'name': spec['name'],
            'container_format': spec['containerFormat'],
            'disk_format': spec['diskFormat'],
            'min_disk': spec['minDisk'], 'min_ram': spec['minRam'],
            'visibility': 'private',
            OWNER: inst_id, OPERATION: occ_id, CONTENT: sha512}
    if spec.get('version'):
        body['tacker_image_version'] = str(spec['version'])
    return vim.rest('create image %s' % spec['name'], 'image', 'POST',
                    '/v2/images', body)


def _wait_active(vim, image_id, path, deadline):
    backoff = os_stack._Backoff(deadline)
    while True:
        image = _show(vim, image_id)
        status = image['status'] if image else 'deleted'
        if status == 'active':
            return image
        if status not in ('queued', 'saving', 'uploading', 'importing'):
            raise os_vim.VimError(
                'Glance image %s of %s is %s instead of active.' % (
                    image_id, path, status))
        if backoff.expired():
            raise os_vim.VimTimeout(
                'Glance image %s of %s did not become active within %d '
                'seconds; it is %s.' % (image_id, path, int(deadline),
                                        status))
        backoff.sleep()


def _upload(vim, image, path, real):
    timeout = CONF.openstack_vim.image_upload_timeout
    if image['status'] == 'queued':
        with open(real, 'rb') as f:
            vim.put_data('upload %s to image %s' % (path, image['id']),
                         'image', '/v2/images/%s/file' % image['id'], f,
                         timeout)
    return _wait_active(vim, image['id'], path, timeout)


def _check_stored(image, path, real, sha512):
    size = os.path.getsize(real)
    stored = image.get('os_hash_value')
    if image.get('size') not in (None, size) or (
            image.get('os_hash_algo') == 'sha512' and stored and
            stored != sha512):
        raise os_vim.VimError(
            'Glance image %s holds other data than %s (size %s, %s %s; '
            'the file has %d bytes, sha512 %s).' % (
                image['id'], path, image.get('size'),
                image.get('os_hash_algo'), stored, size, sha512))


# -- the steps -------------------------------------------------------------

def upload_step(work, key, vnfd_id, flavour_id, nodes=None):
    """Step: upload() the images of a package's flavour (of ``nodes``)."""
    pkg = osctx.package_of(work.context, vnfd_id)
    with osctx.connect(work) as vim:
        upload(work, vim, key, pkg, flavour_id, nodes)


def undo_step(work, key):
    """Undo of upload_step."""
    with osctx.connect(work) as vim:
        undo_upload(work, vim, key)


def upload(work, vim, key, pkg, flavour_id, nodes=None):
    """Give every image file of the flavour (of ``nodes``) a Glance image.

    work.state[key] becomes {node: {imageId, name, uploaded, sha512,
    path, kind, phase}}; ``phase`` is ``creating`` from before the image
    is created until it is active, then ``ready``.
    """
    root = pkg_store.package_dir(pkg.id)
    record = work.state.setdefault(key, {})
    occ_id, inst_id = work.lcmocc.id, work.old_inst.id
    for spec in package_specs(pkg, flavour_id):
        if nodes is not None and spec['node'] not in nodes:
            continue
        entry = record.get(spec['node'])
        if entry and entry.get('phase') == 'ready':
            continue
        real = _checked_path(root, spec['node'], spec['path'])
        got, sha512 = digests(real, spec['algorithm'])
        if got != spec['hash']:
            raise sol_ex.UnprocessableEntity(
                'The software image %s of %s does not have the checksum '
                'the VNFD gives: %s is %s, the VNFD says %s.' % (
                    spec['path'], spec['node'], spec['algorithm'], got,
                    spec['hash'] or '(none)'))
        if entry is None:
            image = reusable(vim, spec, sha512)
            if image is not None:
                LOG.info('%s: reusing Glance image %s for %s', occ_id,
                         image['id'], spec['path'])
                # Made by this very operation for another node: uploaded.
                ours = image.get(OPERATION) == occ_id
                record[spec['node']] = _entry(spec, sha512, image['id'],
                                              ours, 'ready')
                work.save_progress()
                continue
            entry = record[spec['node']] = _entry(spec, sha512, None, True,
                                                  'creating')
            # Saved before the create: a retry looks for what it made.
            work.save_progress()
        image = _show(vim, entry['imageId']) if entry['imageId'] else None
        if image is None:
            made = _list(vim, 'look for image %s' % spec['name'],
                         **{OPERATION: occ_id, CONTENT: sha512})
            image = made[0] if made else None
        if image is not None and image['status'] not in (
                'queued', 'saving', 'uploading', 'importing', 'active'):
            _delete(vim, image['id'])
            image = None
        if image is None:
            image = _create(vim, spec, sha512, inst_id, occ_id)
        entry['imageId'] = image['id']
        work.save_progress()
        image = _upload(vim, image, spec['path'], real)
        _check_stored(image, spec['path'], real, sha512)
        entry['phase'] = 'ready'
        work.save_progress()


def _entry(spec, sha512, image_id, uploaded, phase):
    return {'imageId': image_id, 'name': spec['name'], 'uploaded': uploaded,
            'sha512': sha512, 'path': spec['path'], 'kind': spec['kind'],
            'phase': phase}


def _named_ids(state):
    ids = set()
    for key in ('images', 'newImages'):
        for entry in ((state or {}).get(key) or {}).values():
            if isinstance(entry, dict) and entry.get('imageId'):
                ids.add(entry['imageId'])
    return ids


def used_elsewhere(context, inst_id, occ_id):
    """Ids of images other instances' records or operations name."""
    ids = set()
    for inst in objects.VnfInstance.get_all(context):
        if inst.id == inst_id:
            continue
        info = inst.obj_get('instantiatedVnfInfo')
        meta = (info.obj_get('metadata') if info is not None else None) or {}
        ids |= {i.get('imageId') for i in meta.get('images') or []
                if isinstance(i, dict)}
    for occ in objects.VnfLcmOpOcc.get_all(context,
                                           operationState=list(UNFINISHED)):
        if occ.id != occ_id:
            ids |= _named_ids((occ.stepRecord or {}).get('state'))
    ids.discard(None)
    return ids


def release(work, vim, image_ids, keep=()):
    """Delete those of ``image_ids`` no one else uses (see the docstring).

    Returns the ids deleted.
    """
    wanted = sorted(set(image_ids) - set(keep) - {None})
    if not wanted:
        return []
    others = used_elsewhere(work.context, work.old_inst.id, work.lcmocc.id)
    deleted = []
    for image_id in wanted:
        if image_id in others:
            LOG.info('Image %s is used by another VNF; kept', image_id)
            continue
        image = _show(vim, image_id)
        if image is None:
            continue
        if OWNER not in image:
            continue
        servers = vim.get('servers running image %s' % image_id, 'compute',
                          '/servers?image=%s' % image_id).get('servers')
        if servers:
            LOG.info('Image %s is run by servers %s; kept', image_id,
                     ', '.join(s['id'] for s in servers))
            continue
        _delete(vim, image_id)
        deleted.append(image_id)
    return deleted


def undo_upload(work, vim, key):
    """Delete what this operation uploaded (found by record and mark)."""
    record = work.state.get(key) or {}
    ids = {e['imageId'] for e in record.values()
           if e.get('uploaded') and e.get('imageId')}
    ids |= {i['id'] for i in _list(vim, 'look for images of %s' %
                                   work.lcmocc.id,
                                   **{OPERATION: work.lcmocc.id})}
    release(work, vim, ids)
    work.state.pop(key, None)
    work.save_progress()


def image_ids(work, key):
    """{node: Glance image id} of work.state[key], for the nfv."""
    return {node: e['imageId']
            for node, e in (work.state.get(key) or {}).items()
            if e.get('imageId') and e.get('phase') == 'ready'}


def recorded(state_images):
    """The ``images`` of instantiatedVnfInfo.metadata from a record."""
    items = []
    for node, e in sorted((state_images or {}).items()):
        item = {'vduId' if e['kind'] == 'vdu' else 'virtualStorageDescId':
                node, 'imageId': e['imageId'], 'name': e['name'],
                'uploaded': bool(e['uploaded'])}
        items.append(item)
    return items


def node_of(item):
    return item.get('vduId') or item.get('virtualStorageDescId')


def of_record(info):
    """The ``images`` an instantiatedVnfInfo names."""
    meta = (info.obj_get('metadata') if info is not None else None) or {}
    return [i for i in meta.get('images') or [] if isinstance(i, dict)]


def with_images(info, items):
    """info with metadata.images set to ``items`` (left out if none)."""
    meta = dict(info.obj_get('metadata') or {})
    meta.pop('images', None)
    if items:
        meta['images'] = items
    info.metadata = meta
    return info
