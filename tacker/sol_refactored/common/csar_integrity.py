"""Checking that a package is what its manifest and TOSCA.meta say.

Every file the manifest lists (``Source``) must be in the package, unless
it is a URI, and match its ``Hash``; so must every file a TOSCA.meta
block names, when the block gives a digest. A signed manifest (SOL004
security option 1) must carry a valid CMS signature, and a package that
carries a signing certificate must be signed. Any failure is a 422 whose
detail names the file and what was expected and found.
"""
import os

from oslo_log import log as logging

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import csar_digest
from tacker.sol_refactored.common import csar_manifest
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import package_signature as signature
from tacker.sol_refactored.common import tosca_meta

LOG = logging.getLogger(__name__)
CONF = config.CONF

NOT_SIGNED = 'NOT_SIGNED'
# A manifest larger than this is no manifest.
MAX_MANIFEST = 16 * 1024 * 1024


class Integrity:
    """What the checks established, for VnfPkgInfo."""

    def __init__(self):
        self.manifest = None
        self.checksums = {}          # package path -> verified checksum
        self.external = []           # manifest entries that are URIs
        self.non_mano = {}           # package path -> non-MANO set id
        self.signature = None        # package_signature.Result or None
        self.signing_certificate = None   # PEM text of the cert file

    def signature_metadata(self):
        """The signature part of the manifest artifact's metadata."""
        if self.signature is None:
            return {'state': NOT_SIGNED}
        info = {'format': 'CMS', 'state': self.signature.state,
                'reason': self.signature.reason,
                'signers': self.signature.signer_names}
        if self.signature.trusted_by:
            info['trustedBy'] = self.signature.trusted_by
        return info


def _full(root, rel):
    return os.path.join(root, *rel.split('/'))


def _refuse(text):
    return sol_ex.UnprocessableEntity(text)


def trusted_cas():
    """The operator's CA certificates ([vnf_package] trusted_ca_certs).

    A file that cannot be read or holds no certificate makes signed
    packages impossible to check: 503 naming the file, for the operator.
    """
    cas = []
    for path in CONF.vnf_package.trusted_ca_certs or []:
        try:
            with open(path, 'rb') as f:
                data = f.read()
            cas.extend(signature.load_pem_certificates(data, path))
        except (OSError, signature.SignatureError) as e:
            LOG.error('[vnf_package] trusted_ca_certs: %s', e)
            raise sol_ex.ServiceUnavailable(
                'Signed packages cannot be checked now: the trusted CA '
                'file %s configured in [vnf_package] trusted_ca_certs '
                'cannot be used (%s); ask the operator to fix it.' % (
                    os.path.basename(path), e))
    return cas


def check(root, layout):
    """Check digests and signature of an unpacked package; Integrity."""
    result = Integrity()
    try:
        if layout.manifest:
            result.manifest = _read_manifest(root, layout.manifest)
            _check_manifest_files(root, result)
        _check_meta_files(root, layout, result)
    except csar_digest.DigestError as e:
        raise _refuse(str(e))
    _check_signature(root, layout, result)
    if result.manifest is None:
        LOG.warning('The package has no manifest: its files are not '
                    'integrity-checked.')
    else:
        _warn_unlisted(root, layout, result)
    return result


def _warn_unlisted(root, layout, result):
    # SOL004 wants every file listed; packages in the field often list
    # only some, so this is said, not refused.
    exempt = {result.manifest.name, layout.certificate, tosca_meta.PATH}
    unlisted = []
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name),
                                  root).replace(os.sep, '/')
            if rel not in exempt and rel not in result.checksums:
                unlisted.append(rel)
    if unlisted:
        LOG.warning('The manifest %s does not list %d file(s), which are '
                    'not integrity-checked: %s', result.manifest.name,
                    len(unlisted), ', '.join(sorted(unlisted)[:20]))


def _read_manifest(root, name):
    path = _full(root, name)
    if os.path.getsize(path) > MAX_MANIFEST:
        raise _refuse('The manifest %s is larger than %d bytes.' % (
            name, MAX_MANIFEST))
    with open(path, 'rb') as f:
        return csar_manifest.parse(name, f.read())


def _check_manifest_files(root, result):
    manifest = result.manifest
    where = 'the manifest %s' % manifest.name
    for entry in manifest.entries:
        if entry.external:
            csar_digest.check_listing(where, entry.source, entry.algorithm,
                                      entry.hash)
            result.external.append(entry)
            continue
        path = _full(root, entry.source)
        if not os.path.isfile(path):
            raise csar_digest.DigestError(
                'The manifest %s lists %s (line %d), which is not in the '
                'package.' % (manifest.name, entry.source, entry.line))
        result.checksums[entry.source] = csar_digest.verify_file(
            where, entry.source, path, entry.algorithm, entry.hash)
    for set_id, sources in manifest.non_mano_sets.items():
        for source in sources:
            if '://' not in source and not os.path.isfile(
                    _full(root, source)):
                raise csar_digest.DigestError(
                    'The manifest %s puts %s in the non-MANO artifact set '
                    '%s, but it is not in the package.' % (
                        manifest.name, source, set_id))
            result.non_mano[source] = set_id


def _check_meta_files(root, layout, result):
    where = tosca_meta.PATH
    for entry in layout.meta_files:
        path = _full(root, entry.name)
        if not os.path.isfile(path):
            raise csar_digest.DigestError(
                '%s names %s (block at line %d), which is not in the '
                'package.' % (where, entry.name, entry.line))
        if entry.algorithm is None:
            continue
        checksum = csar_digest.verify_file(where, entry.name, path,
                                           entry.algorithm, entry.hash)
        result.checksums.setdefault(entry.name, checksum)


def _check_signature(root, layout, result):
    manifest = result.manifest
    cert_file = layout.certificate
    package_certs = []
    if cert_file:
        with open(_full(root, cert_file), 'rb') as f:
            data = f.read()
        try:
            package_certs = signature.load_pem_certificates(data, cert_file)
            result.signing_certificate = data.decode('ascii')
        except (signature.SignatureError, UnicodeDecodeError) as e:
            raise _refuse('The signing certificate file %s is not valid: '
                          '%s.' % (cert_file, e))
    if manifest is None or manifest.cms is None:
        if cert_file:
            raise _refuse(
                'The package carries the signing certificate %s but %s; '
                'sign the manifest (a CMS block at its end, SOL004 '
                'security option 1) or leave the certificate out.' % (
                    cert_file, 'has no manifest' if manifest is None else
                    'its manifest %s has no CMS signature' % manifest.name))
        return
    try:
        result.signature = signature.verify(
            manifest.cms, manifest.signed_content, package_certs,
            trusted_cas())
    except signature.SignatureError as e:
        raise _refuse('The CMS signature of the manifest %s is not valid: '
                      '%s.' % (manifest.name, e))
    if result.signature.state == signature.UNVERIFIED:
        LOG.warning('The manifest %s is signed by %s, but the signer is NOT '
                    'verified: %s.', manifest.name,
                    ', '.join(result.signature.signer_names),
                    result.signature.reason)
    else:
        LOG.info('The manifest %s is signed by %s, verified (%s).',
                 manifest.name, ', '.join(result.signature.signer_names),
                 ', '.join(result.signature.trusted_by))
