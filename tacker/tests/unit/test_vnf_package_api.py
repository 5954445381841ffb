"""/vnfpkgm/v1/vnf_packages through the WSGI application."""
import hashlib
import io
import json
import os
import zipfile

import webob
import yaml

from tacker.sol_refactored.api import app
from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import vnf_package_store as store
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.objects import vnf_package
from tacker.tests import base
from tacker.tests import etsi_openapi
from tacker.tests import pki
from tacker.tests.unit.data import packages

PKGS = '/vnfpkgm/v1/vnf_packages'


class VnfPackageApiBase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.app = app.build_app()
        self.ctx = sol_context.Context.admin()

    def call(self, method, path, body=None, content_type=None,
             accept=None, headers=None):
        req = webob.Request.blank(path, method=method)
        if body is not None:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
                content_type = content_type or 'application/json'
            req.body = body
        if content_type:
            req.content_type = content_type
        if accept:
            req.headers['Accept'] = accept
        for key, value in (headers or {}).items():
            req.headers[key] = value
        resp = req.get_response(self.app)
        # Every answer is checked against the SOL005 OpenAPI.
        body = resp.body or None
        if body and 'json' in (resp.content_type or ''):
            body = json.loads(body)
        etsi_openapi.check_response(method, path, resp.status_int,
                                    resp.headers, body)
        return resp

    def create(self, body=None):
        resp = self.call('POST', PKGS, body if body is not None else {})
        self.assertEqual(201, resp.status_int, resp.text)
        return resp.json

    def upload(self, pkg_id, data, content_type='application/zip',
               accept='application/zip'):
        # python-tackerclient's Accept mirrors its Content-Type.
        return self.call('PUT', '%s/%s/package_content' % (PKGS, pkg_id),
                         data, content_type=content_type, accept=accept)

    def onboard(self, name='k8s_simple', edit=None):
        pkg = self.create()
        data = packages.build(name, edit)
        resp = self.upload(pkg['id'], data)
        self.assertEqual(202, resp.status_int, resp.text)
        return pkg['id'], data

    def patch(self, pkg_id, body, content_type='application/merge-patch+json'):
        return self.call('PATCH', '%s/%s' % (PKGS, pkg_id),
                         json.dumps(body).encode(),
                         content_type=content_type, accept=content_type)

    def show(self, pkg_id):
        resp = self.call('GET', '%s/%s' % (PKGS, pkg_id))
        self.assertEqual(200, resp.status_int, resp.text)
        return resp.json

    def assertProblem(self, resp, status, *fragments):
        self.assertEqual(status, resp.status_int, resp.text)
        self.assertEqual('application/problem+json', resp.content_type)
        body = resp.json
        self.assertEqual(status, body['status'])
        for fragment in fragments:
            self.assertIn(fragment, body['detail'])

    def csar_entries(self):
        path = config.csar_path()
        return sorted(os.listdir(path)) if os.path.isdir(path) else []


class TestCreateShowList(VnfPackageApiBase):

    def test_create(self):
        resp = self.call('POST', PKGS, {'userDefinedData': {'k': 'v'}})
        self.assertEqual(201, resp.status_int, resp.text)
        body = resp.json
        self.assertEqual('CREATED', body['onboardingState'])
        self.assertEqual('DISABLED', body['operationalState'])
        self.assertEqual('NOT_IN_USE', body['usageState'])
        # SOL005: known only once the content is on-boarded.
        self.assertNotIn('packageSecurityOption', body)
        self.assertEqual({'k': 'v'}, body['userDefinedData'])
        href = 'http://localhost%s/%s' % (PKGS, body['id'])
        self.assertEqual(href, resp.headers['Location'])
        self.assertEqual(href, body['_links']['self']['href'])
        self.assertEqual(href + '/package_content',
                         body['_links']['packageContent']['href'])
        self.assertNotIn('vnfd', body['_links'])
        self.assertNotIn('vnfdId', body)
        self.assertEqual(body, self.show(body['id']))

    def test_create_without_body(self):
        resp = self.call('POST', PKGS)
        self.assertEqual(201, resp.status_int, resp.text)
        self.assertEqual({}, resp.json['userDefinedData'])

    def test_create_refuses_unknown_attribute(self):
        resp = self.call('POST', PKGS, {'userDefinedDat': {}})
        self.assertProblem(resp, 400, 'userDefinedDat')
        self.assertEqual([], vnf_package.VnfPkgInfo.get_all(self.ctx))

    def test_create_refuses_wrong_types(self):
        self.assertProblem(self.call('POST', PKGS, {'userDefinedData': 1}),
                           400, 'userDefinedData')
        self.assertProblem(self.call('POST', PKGS, b'{bad',
                                     content_type='application/json'),
                           400, 'not valid JSON')
        self.assertProblem(self.call('POST', PKGS, b'{}',
                                     content_type='text/plain'), 415)

    def test_show_unknown(self):
        resp = self.call('GET', PKGS + '/no-such-package')
        self.assertProblem(resp, 404, 'no-such-package')

    def test_list(self):
        first = self.create()
        second = self.create({'userDefinedData': {'a': 1}})
        resp = self.call('GET', PKGS)
        self.assertEqual(200, resp.status_int, resp.text)
        ids = [p['id'] for p in resp.json]
        self.assertEqual(sorted([first['id'], second['id']]), sorted(ids))

    def test_version_header(self):
        resp = self.call('GET', PKGS, headers={'Version': '2.1.0'})
        self.assertEqual('2.1.0', resp.headers['Version'])
        resp = self.call('GET', PKGS, headers={'Version': '9.9.9'})
        self.assertProblem(resp, 406, '9.9.9')


class TestUpload(VnfPackageApiBase):

    def test_kubernetes_package(self):
        pkg_id, data = self.onboard('k8s_simple')
        body = self.show(pkg_id)
        self.assertEqual('ONBOARDED', body['onboardingState'])
        self.assertEqual('ENABLED', body['operationalState'])
        self.assertEqual('NOT_IN_USE', body['usageState'])
        self.assertEqual('OPTION_1', body['packageSecurityOption'])
        self.assertNotIn('signingCertificate', body)
        self.assertNotIn('onboardingFailureDetails', body)
        self.assertEqual(packages.K8S_VNFD_ID, body['vnfdId'])
        self.assertEqual('Example Networks', body['vnfProvider'])
        self.assertEqual('Sample K8s VNF', body['vnfProductName'])
        self.assertEqual('1.0', body['vnfSoftwareVersion'])
        self.assertEqual('1.0', body['vnfdVersion'])
        self.assertEqual({'algorithm': 'SHA-512',
                          'hash': hashlib.sha512(data).hexdigest()},
                         body['checksum'])
        self.assertEqual([], body['softwareImages'])
        paths = [a['artifactPath'] for a in body['additionalArtifacts']]
        self.assertEqual(['Files/kubernetes/deployment.yaml',
                          'Files/kubernetes/service.yaml',
                          'Scripts/coordinate_vnf.py'], paths)
        root = store.package_dir(pkg_id)
        for artifact in body['additionalArtifacts']:
            with open(os.path.join(root, artifact['artifactPath']),
                      'rb') as f:
                self.assertEqual(
                    {'algorithm': 'SHA-256',
                     'hash': hashlib.sha256(f.read()).hexdigest()},
                    artifact['checksum'])
            self.assertFalse(artifact['isEncrypted'])
        self.assertTrue(body['_links']['vnfd']['href'].endswith(
            '/%s/vnfd' % pkg_id))
        self.assertNotIn('vnfdSummary', body)

        pkg = vnf_package.VnfPkgInfo.get_by_id(self.ctx, pkg_id)
        summary = pkg.vnfdSummary
        self.assertEqual('Definitions/sample_top.vnfd.yaml',
                         summary['entryDefinitions'])
        self.assertEqual(['simple'], list(summary['flavours']))
        flavour = summary['flavours']['simple']
        self.assertEqual({'VDU1'}, set(flavour['vdus']))
        self.assertEqual('vdu1', flavour['vdus']['VDU1']['name'])
        self.assertNotIn('baseHot', flavour)
        self.assertEqual(['Files/kubernetes/deployment.yaml',
                          'Files/kubernetes/service.yaml'],
                         summary['kubernetesManifests'])
        self.assertEqual(['Scripts/coordinate_vnf.py'], summary['scripts'])

        # The contents and the CSAR are on disk, nothing else.
        self.assertEqual([pkg_id, pkg_id + '.zip'], self.csar_entries())
        self.assertTrue(os.path.isfile(os.path.join(
            root, 'Files', 'kubernetes', 'deployment.yaml')))
        with open(store.package_zip(pkg_id), 'rb') as f:
            self.assertEqual(data, f.read())

    def test_openstack_package(self):
        pkg_id, data = self.onboard('openstack_simple')
        body = self.show(pkg_id)
        self.assertEqual(packages.OPENSTACK_VNFD_ID, body['vnfdId'])
        self.assertEqual('Sample OpenStack VNF', body['vnfProductName'])
        images = {i['id']: i for i in body['softwareImages']}
        self.assertEqual({'VDU1', 'VirtualStorage'}, set(images))
        vdu1 = images['VDU1']
        self.assertEqual('cirros-0.5.2', vdu1['name'])
        self.assertEqual('0.5.2', vdu1['version'])
        self.assertEqual('Example Networks', vdu1['provider'])
        self.assertEqual('sha-512', vdu1['checksum']['algorithm'])
        self.assertEqual('BARE', vdu1['containerFormat'])
        self.assertEqual('QCOW2', vdu1['diskFormat'])
        self.assertEqual(1000000000, vdu1['minDisk'])
        self.assertEqual(256000000, vdu1['minRam'])
        self.assertEqual(1000000000, vdu1['size'])
        self.assertEqual('Files/images/cirros.qcow2', vdu1['imagePath'])
        self.assertFalse(vdu1['isEncrypted'])
        self.assertIn('createdAt', vdu1)
        self.assertEqual('', images['VirtualStorage']['imagePath'])
        self.assertEqual(0, images['VirtualStorage']['minRam'])
        # The image is a software image, not an additional artifact.
        paths = [a['artifactPath'] for a in body['additionalArtifacts']]
        self.assertEqual(['BaseHOT/simple/nested/VDU1.yaml',
                          'BaseHOT/simple/simple_hot.yaml',
                          'Scripts/coordinate_vnf.py'], sorted(paths))

        pkg = vnf_package.VnfPkgInfo.get_by_id(self.ctx, pkg_id)
        summary = pkg.vnfdSummary
        flavour = summary['flavours']['simple']
        self.assertEqual({'VDU1', 'VDU2'}, set(flavour['vdus']))
        self.assertEqual(['VirtualStorage'],
                         flavour['vdus']['VDU2']['virtualStorages'])
        self.assertEqual({'templates': ['BaseHOT/simple/simple_hot.yaml'],
                          'nested': ['BaseHOT/simple/nested/VDU1.yaml']},
                         flavour['baseHot'])
        self.assertEqual({'vdu': 'VDU1', 'virtualLink': 'internalVL1'},
                         flavour['cps']['VDU1_CP1'])
        self.assertEqual({'instantiate_end': 'Scripts/coordinate_vnf.py'},
                         flavour['lcmScripts'])
        self.assertEqual([], summary['kubernetesManifests'])

    def test_octet_stream_is_accepted(self):
        pkg = self.create()
        resp = self.upload(pkg['id'], packages.build('k8s_simple'),
                           content_type='application/octet-stream',
                           accept='application/json')
        self.assertEqual(202, resp.status_int, resp.text)

    def test_other_media_type_is_refused(self):
        pkg = self.create()
        resp = self.upload(pkg['id'], packages.build('k8s_simple'),
                           content_type='application/json')
        self.assertProblem(resp, 415, 'application/zip')
        self.assertNothingKept(pkg['id'])

    def test_unknown_package(self):
        resp = self.upload('no-such-package', packages.build('k8s_simple'))
        self.assertProblem(resp, 404, 'no-such-package')
        self.assertEqual([], [e for e in self.csar_entries()
                              if not e.startswith('.')])

    def assertNothingKept(self, pkg_id, problem=None):
        body = self.show(pkg_id)
        self.assertEqual('CREATED', body['onboardingState'])
        self.assertEqual('DISABLED', body['operationalState'])
        for key in ('vnfdId', 'vnfProvider', 'checksum', 'softwareImages',
                    'additionalArtifacts', 'packageSecurityOption',
                    'signingCertificate'):
            self.assertNotIn(key, body)
        # Why the upload failed stays readable on the package.
        if problem is None:
            self.assertNotIn('onboardingFailureDetails', body)
        else:
            self.assertEqual(problem, body['onboardingFailureDetails'])
        row = vnf_package.VnfPkgInfo.get_by_id(self.ctx, pkg_id)
        self.assertIsNone(row.obj_get('vnfdSummary'))
        self.assertEqual([], self.csar_entries())

    def assertRefused(self, data, status, *fragments):
        pkg = self.create()
        resp = self.upload(pkg['id'], data)
        self.assertProblem(resp, status, *fragments)
        self.assertNothingKept(pkg['id'], resp.json)
        return resp

    def test_broken_zip(self):
        self.assertRefused(b'PK\x03\x04 this is not really a zip', 400,
                           'not a ZIP archive')

    def test_truncated_zip(self):
        data = packages.build('k8s_simple')
        self.assertRefused(data[:len(data) // 2], 400, 'ZIP')

    def test_empty_body(self):
        self.assertRefused(b'', 400, 'empty')

    def test_neither_layout(self):
        self.assertRefused(packages.zip_without_meta('k8s_simple'), 422,
                           'neither TOSCA-Metadata/TOSCA.meta nor a YAML '
                           'file at its root')

    def test_entry_definitions_missing_file(self):
        data = packages.build('k8s_simple', packages.replacing(
            'TOSCA-Metadata/TOSCA.meta',
            'sample_top.vnfd.yaml',
            'nothing.yaml'))
        self.assertRefused(
            data, 422, 'Definitions/nothing.yaml', 'not in the package')

    def test_entry_definitions_absent(self):
        data = packages.build('k8s_simple', packages.replacing(
            'TOSCA-Metadata/TOSCA.meta',
            'Entry-Definitions',
            'Entry-Definition'))
        self.assertRefused(data, 422, 'no Entry-Definitions')

    def test_entry_definitions_outside(self):
        data = packages.build('k8s_simple', packages.replacing(
            'TOSCA-Metadata/TOSCA.meta',
            'Definitions/sample_top.vnfd.yaml',
            '../etc/passwd'))
        self.assertRefused(data, 422, 'relative path inside the package')

    def test_vnfd_not_yaml(self):
        data = packages.build('k8s_simple', lambda src: packages.write(
            src, 'Definitions/sample_types.yaml', 'node_types: [unclosed\n'))
        self.assertRefused(
            data, 422, 'Definitions/sample_types.yaml', 'not valid YAML')

    def test_vnfd_refused_by_tosca_parser(self):
        # vdu_profile is a required property of Vdu.Compute.
        def edit(src):
            packages.replace(
                src, 'Definitions/sample_df_simple.yaml',
                '        vdu_profile:\n'
                '          min_number_of_instances: 1\n'
                '          max_number_of_instances: 3\n', '')
        resp = self.assertRefused(packages.build('k8s_simple', edit), 422,
                                  'tosca-parser refused the VNFD '
                                  'Definitions/sample_top.vnfd.yaml',
                                  'vdu_profile')
        self.assertNotIn(self.state_dir, resp.json['detail'])

    def test_vnfd_unknown_type(self):
        data = packages.build('k8s_simple', packages.replacing(
            'Definitions/sample_df_simple.yaml',
            'type: tosca.nodes.nfv.Vdu.Compute',
            'type: tosca.nodes.nfv.Vdu.Computer'))
        self.assertRefused(
            data, 422, 'tosca-parser refused', 'tosca.nodes.nfv.Vdu.Computer')

    def test_missing_mandatory_vnf_property(self):
        def edit(src):
            # descriptor_id only from inputs: tosca-parser accepts a
            # get_input, but the package would have no vnfdId.
            packages.replace(
                src, 'Definitions/sample_top.vnfd.yaml',
                'descriptor_id: 7e3c2d5a-91b4-4f1e-8a2d-0c4b5e6f7a81',
                'descriptor_id: { get_input: selected_flavour }')
            packages.replace(
                src, 'Definitions/sample_types.yaml',
                '        default: 7e3c2d5a-91b4-4f1e-8a2d-0c4b5e6f7a81\n',
                '')
            packages.replace(
                src, 'Definitions/sample_df_simple.yaml',
                '        flavour_description: One Deployment of two Pods.',
                '        flavour_description: One Deployment of two Pods.\n'
                '        descriptor_id: { get_input: descriptor_id }')
        self.assertRefused(packages.build('k8s_simple', edit), 422,
                           'mandatory property descriptor_id')

    def test_required_property_missing_for_tosca_parser(self):
        def edit(src):
            packages.replace(
                src, 'Definitions/sample_types.yaml',
                '        default: 7e3c2d5a-91b4-4f1e-8a2d-0c4b5e6f7a81\n',
                '')
        resp = self.assertRefused(packages.build('k8s_simple', edit), 422,
                                  'descriptor_id', 'template "VNF"')
        # The server's tracebacks stay in the server.
        self.assertNotIn('.py', resp.json['detail'])
        self.assertNotIn('Traceback', resp.json['detail'])

    def test_import_by_url(self):
        data = packages.build('k8s_simple', packages.replacing(
            'Definitions/sample_top.vnfd.yaml',
            '- sample_types.yaml',
            '- http://127.0.0.1:9/types.yaml'))
        self.assertRefused(data, 422, 'imports must be relative paths')

    def test_import_outside_package(self):
        data = packages.build('k8s_simple', packages.replacing(
            'Definitions/sample_top.vnfd.yaml',
            '- sample_types.yaml',
            '- ../../sample_types.yaml'))
        self.assertRefused(data, 422, 'outside the package')

    def test_image_artifact_outside_package(self):
        data = packages.build('openstack_simple', packages.replacing(
            'Definitions/sample_df_simple.yaml',
            'file: ../Files/images/cirros.qcow2',
            'file: ../../../etc/passwd'))
        self.assertRefused(data, 422, 'VDU1', 'outside the package')

    def _zip_with(self, name, info=None):
        data = packages.build('k8s_simple')
        buf = io.BytesIO(data)
        with zipfile.ZipFile(buf, 'a') as z:
            z.writestr(info or name, b'payload')
        return buf.getvalue()

    def test_member_with_dotdot(self):
        self.assertRefused(self._zip_with('Scripts/../../evil.sh'), 400,
                           'Scripts/../../evil.sh', '".."')

    def test_member_with_absolute_path(self):
        self.assertRefused(self._zip_with('/tmp/evil.sh'), 400,
                           '/tmp/evil.sh', 'absolute')

    def test_member_symlink(self):
        info = zipfile.ZipInfo('Scripts/link.sh')
        info.external_attr = (0o120777 << 16)
        self.assertRefused(self._zip_with(self.ctx, info), 400,
                           'Scripts/link.sh', 'symbolic link')

    def test_duplicate_vnfd_id(self):
        first, _ = self.onboard('k8s_simple')
        pkg = self.create()
        resp = self.upload(pkg['id'], packages.build('k8s_simple'))
        self.assertProblem(resp, 409, packages.K8S_VNFD_ID, first)
        self.assertEqual('CREATED', self.show(pkg['id'])['onboardingState'])
        self.assertEqual([first, first + '.zip'], self.csar_entries())

    def test_too_large(self):
        data = packages.build('k8s_simple')
        self.conf.config(max_csar_size=len(data) - 1, group='vnf_package')
        self.assertRefused(data, 413, str(len(data) - 1))

    def test_wrong_state(self):
        pkg_id, data = self.onboard('k8s_simple')
        resp = self.upload(pkg_id, data)
        self.assertProblem(resp, 409, 'ONBOARDED', 'CREATED')
        self.assertEqual([pkg_id, pkg_id + '.zip'], self.csar_entries())

    def test_failed_upload_can_be_retried(self):
        pkg = self.create()
        self.assertEqual(400, self.upload(pkg['id'], b'junk').status_int)
        self.assertEqual(400, self.show(pkg['id'])[
            'onboardingFailureDetails']['status'])
        resp = self.upload(pkg['id'], packages.build('k8s_simple'))
        self.assertEqual(202, resp.status_int, resp.text)
        body = self.show(pkg['id'])
        self.assertEqual('ONBOARDED', body['onboardingState'])
        self.assertNotIn('onboardingFailureDetails', body)

    def test_manual_gate_keeps_packages_disabled(self):
        self.conf.config(enable_on_onboarding=False, group='vnf_package')
        pkg_id, _ = self.onboard('k8s_simple')
        body = self.show(pkg_id)
        self.assertEqual('ONBOARDED', body['onboardingState'])
        self.assertEqual('DISABLED', body['operationalState'])
        resp = self.patch(pkg_id, {'operationalState': 'ENABLED'})
        self.assertEqual(200, resp.status_int, resp.text)
        self.assertEqual('ENABLED', self.show(pkg_id)['operationalState'])

    def test_leftover_of_crashed_upload_is_replaced(self):
        pkg = self.create()
        os.makedirs(store.package_dir(pkg['id']))
        packages.write(store.package_dir(pkg['id']), 'stale.txt', 'x')
        resp = self.upload(pkg['id'], packages.build('k8s_simple'))
        self.assertEqual(202, resp.status_int, resp.text)
        self.assertFalse(os.path.exists(os.path.join(
            store.package_dir(pkg['id']), 'stale.txt')))


class TestPatch(VnfPackageApiBase):

    def test_enable_and_disable(self):
        pkg_id, _ = self.onboard()
        # On-boarded packages are ENABLED; SOL005 9.4.3.3.4: enabling a
        # package that is not DISABLED is a conflict.
        self.assertEqual('ENABLED', self.show(pkg_id)['operationalState'])
        resp = self.patch(pkg_id, {'operationalState': 'ENABLED'})
        self.assertProblem(resp, 409, 'already ENABLED')
        resp = self.patch(pkg_id, {'operationalState': 'DISABLED'})
        self.assertEqual(200, resp.status_int, resp.text)
        self.assertEqual({'operationalState': 'DISABLED'}, resp.json)
        self.assertEqual('DISABLED', self.show(pkg_id)['operationalState'])
        resp = self.patch(pkg_id, {'operationalState': 'DISABLED'})
        self.assertProblem(resp, 409, 'already DISABLED')
        resp = self.patch(pkg_id, {'operationalState': 'ENABLED'})
        self.assertEqual(200, resp.status_int, resp.text)
        self.assertEqual('ENABLED', self.show(pkg_id)['operationalState'])

    def test_state_of_package_not_onboarded(self):
        pkg = self.create()
        resp = self.patch(pkg['id'], {'operationalState': 'ENABLED'})
        self.assertProblem(resp, 409, 'CREATED', 'ONBOARDED')
        self.assertEqual('DISABLED',
                         self.show(pkg['id'])['operationalState'])

    def test_user_defined_data_is_merged(self):
        pkg = self.create({'userDefinedData': {'keep': 1, 'drop': 2,
                                               'nested': {'a': 1}}})
        body = {'userDefinedData': {'drop': None, 'new': 'x',
                                    'nested': {'b': 2}}}
        resp = self.patch(pkg['id'], body)
        self.assertEqual(200, resp.status_int, resp.text)
        self.assertEqual(body, resp.json)
        self.assertEqual({'keep': 1, 'new': 'x', 'nested': {'a': 1, 'b': 2}},
                         self.show(pkg['id'])['userDefinedData'])

    def test_bad_requests(self):
        pkg = self.create()
        self.assertProblem(self.patch(pkg['id'], {}), 400)
        self.assertProblem(
            self.patch(pkg['id'], {'operationalState': 'ON'}), 400,
            'operationalState')
        self.assertProblem(
            self.patch(pkg['id'], {'operationalState': 'ENABLED'},
                       content_type='application/json'), 415,
            'application/merge-patch+json')
        self.assertProblem(self.patch('no-such', {'userDefinedData': {}}),
                           404, 'no-such')


class TestDelete(VnfPackageApiBase):

    def test_delete_created(self):
        pkg = self.create()
        resp = self.call('DELETE', '%s/%s' % (PKGS, pkg['id']))
        self.assertEqual(204, resp.status_int, resp.text)
        self.assertProblem(self.call('GET', '%s/%s' % (PKGS, pkg['id'])),
                           404)

    def test_delete_onboarded_removes_contents(self):
        pkg_id, _ = self.onboard()
        resp = self.call('DELETE', '%s/%s' % (PKGS, pkg_id))
        self.assertProblem(resp, 409, 'operationalState is ENABLED')
        self.assertEqual([pkg_id, pkg_id + '.zip'], self.csar_entries())
        self.patch(pkg_id, {'operationalState': 'DISABLED'})
        resp = self.call('DELETE', '%s/%s' % (PKGS, pkg_id))
        self.assertEqual(204, resp.status_int, resp.text)
        self.assertEqual([], self.csar_entries())
        self.assertIsNone(vnf_package.VnfPkgInfo.get_by_id(self.ctx, pkg_id))

    def test_in_use(self):
        pkg_id, _ = self.onboard()
        self.patch(pkg_id, {'operationalState': 'DISABLED'})
        pkg = vnf_package.VnfPkgInfo.get_by_id(self.ctx, pkg_id)
        pkg.usageState = 'IN_USE'
        with db_api.writer(self.ctx) as session:
            pkg.update(session)
        resp = self.call('DELETE', '%s/%s' % (PKGS, pkg_id))
        self.assertProblem(resp, 409, 'usageState is IN_USE')
        self.assertEqual([pkg_id, pkg_id + '.zip'], self.csar_entries())

    def test_unknown(self):
        self.assertProblem(self.call('DELETE', PKGS + '/nope'), 404, 'nope')


class TestDownloads(VnfPackageApiBase):

    def test_package_content(self):
        pkg_id, data = self.onboard()
        resp = self.call('GET', '%s/%s/package_content' % (PKGS, pkg_id),
                         accept='application/zip')
        self.assertEqual(200, resp.status_int)
        self.assertEqual('application/zip', resp.content_type)
        self.assertEqual(data, resp.body)

    def test_package_content_before_upload(self):
        pkg = self.create()
        resp = self.call('GET', '%s/%s/package_content' % (PKGS, pkg['id']))
        self.assertProblem(resp, 409, 'CREATED')

    def test_package_content_refuses_json_only(self):
        pkg_id, _ = self.onboard()
        resp = self.call('GET', '%s/%s/package_content' % (PKGS, pkg_id),
                         accept='application/json')
        self.assertProblem(resp, 406, 'application/zip')

    def _vnfd(self, pkg_id, accept):
        return self.call('GET', '%s/%s/vnfd' % (PKGS, pkg_id),
                         accept=accept)

    def test_vnfd_zip(self):
        pkg_id, _ = self.onboard()
        for accept in ('application/zip', 'text/plain,application/zip',
                       None):
            resp = self._vnfd(pkg_id, accept)
            self.assertEqual(200, resp.status_int)
            self.assertEqual('application/zip', resp.content_type)
            with zipfile.ZipFile(io.BytesIO(resp.body)) as z:
                names = sorted(z.namelist())
                self.assertEqual(sorted([
                    'TOSCA-Metadata/TOSCA.meta',
                    'Definitions/sample_top.vnfd.yaml',
                    'Definitions/sample_types.yaml',
                    'Definitions/sample_df_simple.yaml',
                    'Definitions/etsi_nfv_sol001_common_types.yaml',
                    'Definitions/etsi_nfv_sol001_vnfd_types.yaml']), names)

    def test_vnfd_text_of_multi_file_vnfd(self):
        pkg_id, _ = self.onboard()
        resp = self._vnfd(pkg_id, 'text/plain')
        self.assertProblem(resp, 406, 'application/zip',
                           'Definitions/sample_types.yaml')

    def test_vnfd_text_of_single_file_vnfd(self):
        pkg_id, _ = self.onboard('k8s_simple', packages.single_file)
        self.assertEqual(packages.SINGLE_FILE_VNFD_ID,
                         self.show(pkg_id)['vnfdId'])
        for accept in ('text/plain', 'text/plain,application/zip'):
            resp = self._vnfd(pkg_id, accept)
            self.assertEqual(200, resp.status_int, resp.text)
            self.assertEqual('text/plain', resp.content_type)
            self.assertEqual(packages.SINGLE_FILE_VNFD, resp.text)
            yaml.safe_load(resp.body)

    def test_vnfd_refuses_other_types(self):
        pkg_id, _ = self.onboard()
        self.assertProblem(self._vnfd(pkg_id, 'application/json'), 406)

    def test_vnfd_before_upload(self):
        pkg = self.create()
        self.assertProblem(self._vnfd(pkg['id'], 'application/zip'), 409,
                           'CREATED')


class TestStructuresAndIntegrity(VnfPackageApiBase):
    """Both CSAR structures, digests and signatures through the API."""

    def refused(self, data, *fragments):
        pkg = self.create()
        resp = self.upload(pkg['id'], data)
        self.assertProblem(resp, 422, *fragments)
        body = self.show(pkg['id'])
        self.assertEqual('CREATED', body['onboardingState'])
        self.assertEqual('DISABLED', body['operationalState'])
        self.assertEqual(resp.json, body['onboardingFailureDetails'])
        self.assertNotIn('packageSecurityOption', body)
        self.assertEqual([], self.csar_entries())
        return body

    def artifacts(self, body):
        return {a.get('artifactPath') or a['artifactURI']: a
                for a in body['additionalArtifacts']}

    def test_without_tosca_meta(self):
        pkg_id, data = self.onboard('flat_simple')
        body = self.show(pkg_id)
        self.assertEqual('ENABLED', body['operationalState'])
        self.assertEqual('9d2f4c61-7b3e-4a58-8c1d-2e6f0a9b7c35',
                         body['vnfdId'])
        self.assertEqual('OPTION_1', body['packageSecurityOption'])
        artifacts = self.artifacts(body)
        self.assertEqual('HISTORY',
                         artifacts['ChangeLog.txt']['artifactClassification'])
        self.assertEqual('LICENSE', artifacts['Licenses/LICENSE.txt'][
            'artifactClassification'])
        manifest = artifacts['firewall_vnfd.mf']['metadata']
        self.assertEqual({'state': 'NOT_SIGNED'}, manifest['signature'])
        self.assertEqual('Edge Firewall',
                         manifest['manifest']['vnf_product_name'])
        mf = packages.members(data)['firewall_vnfd.mf'].decode()
        deployment = artifacts['Files/kubernetes/deployment.yaml']
        self.assertIn('Hash: %s' % deployment['checksum']['hash'], mf)
        # The VNFD is one file: no TOSCA.meta to send with it.
        resp = self.call('GET', '%s/%s/vnfd' % (PKGS, pkg_id),
                         accept='application/zip')
        with zipfile.ZipFile(io.BytesIO(resp.body)) as z:
            self.assertEqual(
                ['Definitions/etsi_nfv_sol001_common_types.yaml',
                 'Definitions/etsi_nfv_sol001_vnfd_types.yaml',
                 'firewall_vnfd.yaml'], sorted(z.namelist()))
        resp = self.call('GET', '%s/%s/vnfd' % (PKGS, pkg_id),
                         accept='text/plain')
        self.assertEqual(200, resp.status_int, resp.text)
        self.assertIn('template_name: firewall_vnfd', resp.text)

    def test_manifest_digests_are_the_checksums(self):
        pkg_id, _ = self.onboard('k8s_simple', packages.with_vnfd_id(
            'k8s_simple', '0c6e2a0f-1111-4a3b-9d2c-5e8f7a6b4c21'))
        # Without a manifest: SHA-256 computed here.
        plain = self.artifacts(self.show(pkg_id))
        pkg = self.create()
        data = packages.build('k8s_simple', manifest=True,
                              algorithm='SHA-384')
        self.assertEqual(202, self.upload(pkg['id'], data).status_int)
        listed = self.artifacts(self.show(pkg['id']))
        self.assertEqual('SHA-256', plain['Scripts/coordinate_vnf.py'][
            'checksum']['algorithm'])
        self.assertEqual('SHA-384', listed['Scripts/coordinate_vnf.py'][
            'checksum']['algorithm'])

    def test_bad_hash(self):
        data = packages.build('flat_simple')
        data = packages.rezip(data, {'Files/kubernetes/deployment.yaml':
                                     b'kind: Deployment\n'})
        body = self.refused(data, 'Files/kubernetes/deployment.yaml',
                            'firewall_vnfd.mf', 'expected', 'found')
        self.assertIn('Files/kubernetes/deployment.yaml',
                      body['onboardingFailureDetails']['detail'])

    def test_listed_file_missing(self):
        data = packages.rezip(packages.build('flat_simple'),
                              remove=['ChangeLog.txt'])
        self.refused(data, 'lists ChangeLog.txt', 'not in the package')

    def test_unknown_algorithm(self):
        data = packages.build('flat_simple')
        mf = packages.members(data)['firewall_vnfd.mf'].replace(
            b'Algorithm: SHA-256', b'Algorithm: MD5', 1)
        self.refused(packages.rezip(data, {'firewall_vnfd.mf': mf}),
                     "'MD5'", 'SHA-256, SHA-384 or SHA-512')

    def test_signed_verified_and_unverified(self):
        ca = pki.make_ca()
        signer = pki.make_signer(ca)
        data = packages.build('flat_simple', sign_key=signer.key_pem,
                              sign_cert=signer.cert_pem, cert_file=True)
        pkg_id = self.create()['id']
        self.assertEqual(202, self.upload(pkg_id, data).status_int)
        body = self.show(pkg_id)
        sig = self.artifacts(body)['firewall_vnfd.mf']['metadata'][
            'signature']
        self.assertEqual('UNVERIFIED', sig['state'])
        self.assertEqual([signer.subject], sig['signers'])
        self.assertEqual(signer.cert_pem.decode(), body['signingCertificate'])
        self.call('PATCH', '%s/%s' % (PKGS, pkg_id), json.dumps(
            {'operationalState': 'DISABLED'}).encode(),
            content_type='application/merge-patch+json')
        self.call('DELETE', '%s/%s' % (PKGS, pkg_id))

        ca_file = os.path.join(self.state_dir, 'ca.pem')
        with open(ca_file, 'wb') as f:
            f.write(ca.cert_pem)
        self.conf.config(trusted_ca_certs=[ca_file], group='vnf_package')
        pkg_id = self.create()['id']
        self.assertEqual(202, self.upload(pkg_id, data).status_int)
        sig = self.artifacts(self.show(pkg_id))['firewall_vnfd.mf'][
            'metadata']['signature']
        self.assertEqual('VERIFIED', sig['state'])
        self.assertEqual([ca.subject], sig['trustedBy'])

    def test_signature_of_an_untrusted_signer(self):
        ca_file = os.path.join(self.state_dir, 'ca.pem')
        with open(ca_file, 'wb') as f:
            f.write(pki.make_ca().cert_pem)
        self.conf.config(trusted_ca_certs=[ca_file], group='vnf_package')
        stranger = pki.make_signer(pki.make_ca('Stranger CA'))
        data = packages.build('k8s_simple', manifest=True,
                              sign_key=stranger.key_pem,
                              sign_cert=stranger.cert_pem)
        self.refused(data, 'sample_top.vnfd.mf', 'does not chain')
