"""Where on-boarded VNF packages live, and how they get there.

Layout under ``config.csar_path()``:

- ``<pkg id>/``: the unpacked package (``package_dir``), read by the LCM
  operations; CoordinateVNF scripts run from inside it.
- ``<pkg id>.zip``: the CSAR as uploaded, served by GET package_content.
- ``.upload-<host>-<pid>-<pkg id>-*`` / ``.delete-...``: work directories
  of uploads and deletes in progress; ``remove_leftovers`` (run when
  tacker-server starts) removes those whose process is gone.

An upload is unpacked and checked in a work directory and moved into
place only while the package's row is being switched to ONBOARDED in the
same transaction, so a package is either CREATED with nothing on disk or
ONBOARDED with all of its contents.
"""
import functools
import os
import re
import shutil
import socket
import tempfile

from oslo_db import exception as db_exc
from oslo_log import log as logging
import sqlalchemy as sa

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import csar
from tacker.sol_refactored.common import csar_integrity
from tacker.sol_refactored.common import csar_layout
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import vnfd as vnfd_mod
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import models
from tacker.sol_refactored.objects import vnf_package

LOG = logging.getLogger(__name__)
CONF = config.CONF
VnfPkgInfo = vnf_package.VnfPkgInfo


def package_dir(pkg_id):
    """The directory holding the unpacked contents of a package."""
    return os.path.join(config.csar_path(), pkg_id)


def package_zip(pkg_id):
    """The CSAR of a package, as it was uploaded."""
    return package_dir(pkg_id) + '.zip'


def work_prefix(kind, pkg_id):
    """Prefix of a work directory: what, whose (host and process), which.

    ``remove_leftovers`` tells from it whether the process that made it
    is gone.
    """
    return '.%s-%s-%d-%s-' % (kind, socket.gethostname(), os.getpid(),
                              pkg_id)


_WORK_DIR = re.compile(r'^\.(upload|delete)-(?:(?P<host>[^/]+)-(?P<pid>\d+)-)?'
                       r'[0-9a-f-]{36}-')


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers():
    """Remove work directories that crashed uploads and deletes left.

    Only those of this host whose process is gone (or of the older
    naming, without host and process): another server sharing the
    directory may be uploading right now. A delete's directory holds a
    package whose row is already gone, so it goes too. Returns the
    names removed.
    """
    root = config.csar_path()
    if not os.path.isdir(root):
        return []
    removed = []
    host = socket.gethostname()
    for name in sorted(os.listdir(root)):
        match = _WORK_DIR.match(name)
        if not match:
            continue
        if match.group('host') is not None:
            if match.group('host') != host or _alive(int(
                    match.group('pid'))):
                continue
        _remove(os.path.join(root, name))
        removed.append(name)
    if removed:
        LOG.warning('Removed %d work directories left by crashed uploads '
                    'or deletes: %s', len(removed), ', '.join(removed))
    return removed


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)


def remove_contents(pkg_id):
    _remove(package_dir(pkg_id))
    _remove(package_zip(pkg_id))


def onboard(context, pkg_id, stream, length):
    """Receive, check and install a CSAR; return the ONBOARDED package.

    Raises a SolException (and leaves the package CREATED with nothing on
    disk) when anything is wrong; the ProblemDetails of that failure is
    kept as the package's onboardingFailureDetails until an upload
    succeeds.
    """
    pkg = VnfPkgInfo.get_by_id(context, pkg_id)
    if pkg is None:
        raise sol_ex.VnfPackageNotFound(pkg_id=pkg_id)
    _check_created(pkg)
    try:
        return _onboard(context, pkg, stream, length)
    except sol_ex.SolException as e:
        _record_failure(context, pkg_id, e.problem_details())
        raise
    except Exception:
        LOG.exception('On-boarding VNF package %s failed', pkg_id)
        _record_failure(context, pkg_id, sol_ex.SolException(
            'On-boarding failed on an internal error of the server; see '
            'its log.').problem_details())
        raise


def _budget(zip_path):
    opts = CONF.vnf_package
    return csar.unpacked_budget(os.path.getsize(zip_path),
                                opts.max_unpacked_ratio,
                                opts.max_unpacked_size,
                                opts.min_unpacked_allowance)


def _early_vnfd_id(contents, layout):
    """The vnfdId, read from the descriptors alone; None if that fails.

    A failure here is reported by the full inspection, once every file
    is there; this read only lets a duplicate be refused early.
    """
    try:
        return vnfd_mod.Vnfd(contents, layout.entry).vnf['descriptor_id']
    except Exception:  # noqa: any failure waits for the full check
        return None


def _onboard(context, pkg, stream, length):
    pkg_id = pkg.id
    limit = CONF.vnf_package.max_csar_size
    os.makedirs(config.csar_path(), exist_ok=True)
    work = tempfile.mkdtemp(prefix=work_prefix('upload', pkg_id),
                            dir=config.csar_path())
    try:
        zip_path = os.path.join(work, 'package.zip')
        contents = os.path.join(work, 'contents')
        digest = csar.receive(stream, length, limit, zip_path)
        with csar.Unpacker(zip_path, _budget(zip_path)) as unpacker:
            # The cheap checks first: structure and vnfdId, from the
            # small files, before the images are written.
            unpacker.first(contents)
            layout = csar_layout.find(contents)
            early_id = _early_vnfd_id(contents, layout)
            if early_id:
                _check_vnfd_id_free(context, pkg_id, early_id)
            unpacker.rest(contents)
        integrity = csar_integrity.check(contents, layout)
        attrs = csar.inspect(contents, layout, integrity)
        _check_vnfd_id_free(context, pkg_id, attrs['vnfdId'])
        for key, value in attrs.items():
            setattr(pkg, key, value)
        pkg.checksum = {'algorithm': 'SHA-512', 'hash': digest}
        pkg.onboardingState = 'ONBOARDED'
        pkg.onboardingFailureDetails = None
        pkg.operationalState = (
            'ENABLED' if CONF.vnf_package.enable_on_onboarding
            else 'DISABLED')
        _install(context, pkg, contents, zip_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    LOG.info('VNF package %s on-boarded with vnfdId %s, %s', pkg_id,
             pkg.vnfdId, pkg.operationalState)
    return VnfPkgInfo.get_by_id(context, pkg_id)


def _record_failure(context, pkg_id, problem):
    """Keep why on-boarding failed, on a package still CREATED."""
    model = VnfPkgInfo.db_model
    try:
        with db_api.writer(context) as session:
            session.execute(
                sa.update(model).where(model.id == pkg_id)
                .where(model.onboardingState == 'CREATED')
                .values(onboardingFailureDetails=problem))
    except Exception:
        # The client still gets the problem in its answer.
        LOG.exception('Could not record why on-boarding VNF package %s '
                      'failed', pkg_id)


def _check_created(pkg):
    if pkg.onboardingState != 'CREATED':
        raise sol_ex.Conflict(
            'VNF package %s is %s; content can only be uploaded to a '
            'package in onboardingState CREATED (create a new package to '
            'on-board other content).' % (pkg.id, pkg.onboardingState))


def _check_vnfd_id_free(context, pkg_id, vnfd_id):
    others = [p for p in VnfPkgInfo.get_all(context, vnfdId=vnfd_id)
              if p.id != pkg_id]
    if others:
        raise _duplicate(vnfd_id, others[0].id)


def _duplicate(vnfd_id, other_id='another package'):
    return sol_ex.Conflict(
        'The VNFD of this package has vnfdId %s, which VNF package %s '
        'already has; a vnfdId identifies one package.' % (vnfd_id,
                                                           other_id))


def _install(context, pkg, contents, zip_path):
    final_dir = package_dir(pkg.id)
    final_zip = package_zip(pkg.id)
    installed = False
    try:
        with db_api.writer(context) as session:
            # The conditional update also locks the row, so no other
            # upload of this package can move files until we commit.
            if not pkg.update(session, expect={'onboardingState':
                                               'CREATED'}):
                raise sol_ex.Conflict(
                    'VNF package %s was on-boarded or deleted by another '
                    'request meanwhile.' % pkg.id)
            # Anything already there was left by a crashed upload: the
            # row still says CREATED and we hold it.
            remove_contents(pkg.id)
            os.rename(zip_path, final_zip)
            installed = True
            os.rename(contents, final_dir)
    except (db_exc.DBDuplicateEntry, sa.exc.IntegrityError):
        if installed:
            remove_contents(pkg.id)
        raise _duplicate(pkg.vnfdId)
    except Exception:
        if installed:
            remove_contents(pkg.id)
        raise


def delete(context, pkg_id):
    """Delete a DISABLED, NOT_IN_USE package and its contents."""
    model = VnfPkgInfo.db_model
    trash = None
    try:
        with db_api.writer(context) as session:
            pkg = VnfPkgInfo.get_by_id(context, pkg_id, session=session)
            if pkg is None:
                raise sol_ex.VnfPackageNotFound(pkg_id=pkg_id)
            reasons = []
            if pkg.operationalState != 'DISABLED':
                reasons.append('operationalState is %s (disable it first)'
                               % pkg.operationalState)
            if pkg.usageState != 'NOT_IN_USE':
                reasons.append('usageState is %s (VNF instances use it)' %
                               pkg.usageState)
            if reasons:
                raise sol_ex.Conflict(
                    'VNF package %s cannot be deleted: %s.' % (
                        pkg_id, '; '.join(reasons)))
            result = session.execute(
                sa.delete(model).where(model.id == pkg_id)
                .where(model.operationalState == 'DISABLED')
                .where(model.usageState == 'NOT_IN_USE'))
            if result.rowcount != 1:
                raise sol_ex.Conflict(
                    'VNF package %s changed while being deleted; try '
                    'again.' % pkg_id)
            # Moved aside rather than removed so that a failed commit can
            # put it back.
            if os.path.lexists(package_dir(pkg_id)) or os.path.lexists(
                    package_zip(pkg_id)):
                trash = tempfile.mkdtemp(prefix=work_prefix('delete', pkg_id),
                                         dir=config.csar_path())
                for path in (package_dir(pkg_id), package_zip(pkg_id)):
                    if os.path.lexists(path):
                        os.rename(path, os.path.join(
                            trash, os.path.basename(path)))
    except Exception:
        if trash is not None:
            for name in os.listdir(trash):
                os.rename(os.path.join(trash, name),
                          os.path.join(config.csar_path(), name))
            _remove(trash)
        raise
    if trash is not None:
        _remove(trash)
    _cached_vnfd.cache_clear()


def get_usable_package(context, vnfd_id, session=None):
    """The ONBOARDED and ENABLED package with this vnfdId.

    Raises 404 when no package has the vnfdId and 422 when the package
    exists but cannot be used, saying which condition failed. Pass the
    caller's session to read inside its transaction.
    """
    pkgs = VnfPkgInfo.get_all(context, session=session, vnfdId=vnfd_id)
    if not pkgs:
        raise sol_ex.VnfdIdNotFound(vnfd_id=vnfd_id)
    pkg = pkgs[0]
    if pkg.onboardingState != 'ONBOARDED':
        raise sol_ex.VnfPackageNotUsable(
            pkg_id=pkg.id, vnfd_id=vnfd_id,
            reason='its onboardingState is %s, not ONBOARDED' %
            pkg.onboardingState)
    if pkg.operationalState != 'ENABLED':
        raise sol_ex.VnfPackageNotUsable(
            pkg_id=pkg.id, vnfd_id=vnfd_id,
            reason='its operationalState is %s; enable it with PATCH '
                   '{"operationalState": "ENABLED"}' % pkg.operationalState)
    return pkg


@functools.lru_cache(maxsize=32)
def _cached_vnfd(pkg_id, root, entry):
    return vnfd_mod.Vnfd(root, entry)


def load_vnfd(pkg):
    """The parsed VNFD (vnfd.Vnfd) of an ONBOARDED package.

    The contents of an on-boarded package never change, so parses are
    cached per package. ``pkg`` is a VnfPkgInfo; its ``vnfdSummary``
    already holds the flavours and VDUs when a dict is all that is needed.
    """
    if pkg.onboardingState != 'ONBOARDED':
        raise sol_ex.Conflict('VNF package %s is %s, not ONBOARDED.' % (
            pkg.id, pkg.onboardingState))
    entry = pkg.vnfdSummary['entryDefinitions']
    try:
        return _cached_vnfd(pkg.id, package_dir(pkg.id), entry)
    except vnfd_mod.VnfdError as e:
        # Parsed fine at upload: the files were changed on disk since.
        raise sol_ex.SolException(
            'The VNFD of on-boarded package %s no longer parses: %s' % (
                pkg.id, e))


def vnfd_zip_members(pkg):
    """Package paths of the VNFD files (TOSCA.meta first, if it has one)."""
    meta = [csar.TOSCA_META] if pkg.vnfdSummary.get('toscaMeta', True) else []
    return meta + list(pkg.vnfdSummary['vnfdFiles'])


def refresh_usage(session, vnfd_ids):
    """usageState of these packages from the instances that use them."""
    for vnfd_id in set(vnfd_ids):
        used = session.execute(
            sa.select(sa.func.count()).select_from(models.VnfInstance).where(
                models.VnfInstance.vnfdId == vnfd_id)).scalar()
        session.execute(
            sa.update(models.VnfPackage).where(
                models.VnfPackage.vnfdId == vnfd_id).values(
                usageState='IN_USE' if used else 'NOT_IN_USE'))
