"""/vnfpkgm/v1/vnf_packages (SOL005 9.4), as python-tackerclient calls it.

Uploads are on-boarded inside the PUT request, so the client sees what is
wrong with its package in the answer instead of in a later GET.
"""
import io
import os
import zipfile

from oslo_utils import uuidutils

from tacker.sol_refactored.api.schemas import vnfpkgm as schemas
from tacker.sol_refactored.api import validator
from tacker.sol_refactored.api import versions
from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import project_scope
from tacker.sol_refactored.common import query
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.common import vnf_package_store as store
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.objects import vnf_package

CONF = config.CONF
VnfPkgInfo = vnf_package.VnfPkgInfo

PREFIX = '/vnfpkgm/v1/vnf_packages'
MERGE_PATCH = 'application/merge-patch+json'
ZIP = 'application/zip'
TEXT = 'text/plain'
# The client sends application/zip; generic tools send octet-stream.
UPLOAD_TYPES = (ZIP, 'application/octet-stream')
# SOL005 9.4.2.3.2: left out of a list unless asked for.
LIST_DEFAULT_EXCLUDED = ('softwareImages', 'additionalArtifacts',
                         'userDefinedData', 'checksum',
                         'onboardingFailureDetails')


def merge_patch(target, patch):
    """RFC 7396 JSON merge patch: null removes, objects merge deeply."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


class _ClosingFile(io.RawIOBase):
    """A file that closes itself once read to the end.

    webob streams a body file without ever closing it.
    """

    def __init__(self, path):
        super().__init__()
        self._file = open(path, 'rb')

    def readable(self):
        return True

    def read(self, size=-1):
        data = self._file.read(size)
        if not data:
            self.close()
        return data

    def close(self):
        self._file.close()
        super().close()


def _get(context, pkg_id):
    pkg = VnfPkgInfo.get_by_id(context, pkg_id)
    if pkg is None:
        raise sol_ex.VnfPackageNotFound(pkg_id=pkg_id)
    return pkg


def _owner(context, id):
    return _get(context, id).projectId


def _onboarded(pkg, what):
    if pkg.onboardingState != 'ONBOARDED':
        raise sol_ex.Conflict(
            'VNF package %s is %s; its %s exists only once it is '
            'ONBOARDED (upload the CSAR first).' % (
                pkg.id, pkg.onboardingState, what))


class VnfPackagesController:

    def create(self, request):
        body = request.json_body() if request.body else {}
        validator.validate(schemas.CreateVnfPkgInfoRequest, body)
        pkg = VnfPkgInfo(
            id=uuidutils.generate_uuid(),
            onboardingState='CREATED',
            operationalState='DISABLED',
            usageState='NOT_IN_USE',
            userDefinedData=body.get('userDefinedData', {}),
            createdAt=timeutil.utcnow(),
            projectId=project_scope.owner_of_new(request.context))
        with db_api.writer(request.context) as session:
            pkg.create(session)
        answer = pkg.to_api(request.base_url())
        return wsgi.SolResponse(
            201, answer, headers={'Location': answer['_links']['self'][
                'href']})

    def index(self, request):
        base = request.base_url()
        bodies = [p.to_api(base) for p in
                  VnfPkgInfo.get_all(request.context)]
        return query.list_response(request, bodies,
                                   CONF.v2_vnfm.vnf_package_page_size,
                                   LIST_DEFAULT_EXCLUDED)

    def show(self, request, id):
        pkg = _get(request.context, id)
        return wsgi.SolResponse(200, pkg.to_api(request.base_url()))

    def update(self, request, id):
        ctype = (request.content_type or '').lower()
        if ctype != MERGE_PATCH:
            raise sol_ex.UnsupportedMediaType(
                content_type=request.content_type or '(none)',
                want=MERGE_PATCH)
        body = request.json_body(MERGE_PATCH)
        validator.validate(schemas.VnfPkgInfoModifications, body)
        pkg = _get(request.context, id)
        expect = {'onboardingState': pkg.onboardingState,
                  'operationalState': pkg.operationalState}
        new_state = body.get('operationalState')
        if new_state is not None:
            if pkg.onboardingState != 'ONBOARDED':
                raise sol_ex.Conflict(
                    'VNF package %s is %s; only an ONBOARDED package can '
                    'be enabled or disabled.' % (id, pkg.onboardingState))
            if new_state == pkg.operationalState:
                raise sol_ex.Conflict(
                    'VNF package %s is already %s.' % (id, new_state))
            pkg.operationalState = new_state
        if 'userDefinedData' in body:
            pkg.userDefinedData = merge_patch(pkg.userDefinedData or {},
                                              body['userDefinedData'])
        with db_api.writer(request.context) as session:
            if not pkg.update(session, expect=expect):
                raise sol_ex.Conflict(
                    'VNF package %s changed while being modified; read it '
                    'again and retry.' % id)
        return wsgi.SolResponse(200, body)

    def delete(self, request, id):
        store.delete(request.context, id)
        return wsgi.SolResponse(204)

    def upload_content(self, request, id):
        ctype = (request.content_type or '').lower()
        if ctype not in UPLOAD_TYPES:
            raise sol_ex.UnsupportedMediaType(
                content_type=request.content_type or '(none)',
                want=' or '.join(UPLOAD_TYPES))
        stream = request.body_file if request.is_body_readable else (
            io.BytesIO())
        store.onboard(request.context, id, stream, request.content_length)
        return wsgi.SolResponse(202)

    def fetch_content(self, request, id):
        pkg = _get(request.context, id)
        _onboarded(pkg, 'package content')
        path = store.package_zip(id)
        return wsgi.SolResponse(
            200, content_type=ZIP, raw=_ClosingFile(path),
            headers={'Content-Length': str(os.path.getsize(path))})

    def fetch_vnfd(self, request, id):
        pkg = _get(request.context, id)
        _onboarded(pkg, 'VNFD')
        files = store.vnfd_zip_members(pkg)
        entry = pkg.vnfdSummary['entryDefinitions']
        imported = [f for f in pkg.vnfdSummary['vnfdFiles'] if f != entry]
        # A VNFD is one file when the entry imports nothing but the
        # standard SOL001 type files, which every reader already has.
        single = all(os.path.basename(f).startswith('etsi_nfv_sol001_')
                     for f in imported)
        if request.headers.get('Accept'):
            offers = [o for o, _q in request.accept.acceptable_offers(
                [TEXT, ZIP])]
        else:
            offers = [ZIP]
        for offer in offers:
            if offer == TEXT and single:
                with open(os.path.join(store.package_dir(id),
                                       *entry.split('/')), 'rb') as f:
                    return wsgi.SolResponse(200, content_type=TEXT,
                                            raw=f.read())
            if offer == ZIP:
                return wsgi.SolResponse(200, content_type=ZIP,
                                        raw=self._vnfd_zip(id, files))
        raise sol_ex.NotAcceptable(
            'The VNFD of VNF package %s is made of %d files (%s), so it '
            'can only be sent as application/zip; add it to the Accept '
            'header.' % (id, len(pkg.vnfdSummary['vnfdFiles']),
                         ', '.join(pkg.vnfdSummary['vnfdFiles'])))

    @staticmethod
    def _vnfd_zip(pkg_id, files):
        buf = io.BytesIO()
        root = store.package_dir(pkg_id)
        with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as out:
            for name in files:
                out.write(os.path.join(root, *name.split('/')), name)
        return buf.getvalue()


def add_routes(router):
    ctl = VnfPackagesController()
    policy = versions.VNFPKGM_V1_POLICY

    def add(path, method, action, rule, offers=(wsgi.JSON,)):
        # Every route but the collection's acts on one package.
        owner = _owner if path else None
        router.add(PREFIX + path, method, wsgi.Resource(
            ctl, action, policy, 'vnf_package:' + rule, offers=offers,
            owner=owner))

    add('', 'POST', 'create', 'create')
    add('', 'GET', 'index', 'index')
    add('/{id}', 'GET', 'show', 'show')
    # The client's Accept mirrors its Content-Type; the answer is the
    # VnfPkgInfoModifications in JSON all the same.
    add('/{id}', 'PATCH', 'update', 'update', offers=(wsgi.JSON, MERGE_PATCH))
    add('/{id}', 'DELETE', 'delete', 'delete')
    # python-tackerclient uploads with "Accept: application/zip"; the 202
    # has no body, so that is as good as JSON.
    add('/{id}/package_content', 'PUT', 'upload_content', 'upload_content',
        offers=(wsgi.JSON, ZIP))
    add('/{id}/package_content', 'GET', 'fetch_content', 'fetch_content',
        offers=(ZIP,))
    add('/{id}/vnfd', 'GET', 'fetch_vnfd', 'fetch_content',
        offers=(TEXT, ZIP))
