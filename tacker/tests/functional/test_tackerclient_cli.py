"""python-tackerclient's CLI, unchanged, against the real server.

Only the ``openstack`` command talks to the server here; the simulator and
the fault proxy stand in for the Kubernetes VIM.
"""
import json
import os
import subprocess
import sys
import tempfile

from tacker.tests.functional import kubernetes_base as kb


class TestTackerClientCli(kb.KubernetesTestCase):
    def openstack(self, *args, api_version='2', parse=True):
        argv = [os.path.join(os.path.dirname(sys.executable), 'openstack'),
                '--os-auth-type', 'none',
                '--os-endpoint', self.service.base_url]
        argv += list(args)
        if api_version:
            argv += ['--os-tacker-api-version', api_version]
        if parse:
            argv += ['-f', 'json']
        done = subprocess.run(argv, capture_output=True, text=True,
                              timeout=120)
        self.assertEqual(0, done.returncode,
                         '%s\n%s\n%s' % (argv, done.stdout, done.stderr))
        return json.loads(done.stdout) if parse else done.stdout

    def json_file(self, body):
        fd, path = tempfile.mkstemp(suffix='.json')
        with os.fdopen(fd, 'w') as f:
            json.dump(body, f)
        self.addCleanup(os.unlink, path)
        return path

    def onboard_with_cli(self, version):
        tool = kb._build_tool()
        work = self.useFixture(kb.fixtures_tempdir()).path
        zip_path = os.path.join(work, '%s.zip' % version)
        tool.build_package(os.path.join(kb.SAMPLES, version), zip_path)
        pkg = self.openstack('vnf package create', api_version=None)
        pkg_id = pkg['ID']
        self.openstack('vnf package upload', '--path', zip_path, pkg_id,
                       api_version=None, parse=False)
        # On-boarded packages are ENABLED ([vnf_package]
        # enable_on_onboarding): no update is needed before use.
        shown = self.openstack('vnf package show', pkg_id, api_version=None)
        self.assertEqual('ENABLED', shown['Operational State'])
        return shown

    def last_op(self, inst_id):
        """The one operation of the instance the test has not seen yet."""
        seen = self.__dict__.setdefault('_seen_ops', set())
        ops = self.openstack('vnflcm op list')
        new = [o['ID'] for o in ops if o['VNF Instance ID'] == inst_id and
               o['ID'] not in seen]
        self.assertEqual(1, len(new), ops)
        seen.add(new[0])
        return new[0]

    def test_lifecycle_through_the_cli(self):
        v1 = self.onboard_with_cli('v1')
        self.assertEqual('ONBOARDED', v1['Onboarding State'])
        v2 = self.onboard_with_cli('v2')
        inst = self.openstack('vnflcm create', v1['VNFD ID'])
        inst_id = inst['ID']
        out = self.openstack(
            'vnflcm instantiate', inst_id, self.json_file({
                'flavourId': 'simple',
                'vimConnectionInfo': self.vim_connection_info(),
                'additionalParams': self.instantiate_params()}),
            parse=False)
        self.assertIn('accepted', out)
        self.client.wait_op(self.last_op(inst_id), ['COMPLETED'])
        shown = self.openstack('vnflcm show', inst_id)
        self.assertEqual('INSTANTIATED', shown['Instantiation State'])

        # A failing switch, rolled back, then the change again, failing
        # once more and retried: every task through the CLI.
        self.proxy.fail(500, body={'kind': 'Status', 'message': 'no'},
                        method='PATCH', path_regex='/services/nginx$',
                        nth=1)
        request = self.json_file({
            'vnfdId': v2['VNFD ID'],
            'additionalParams': {
                'upgrade_type': 'BlueGreen',
                'lcm-kubernetes-def-files': kb.V2_BLUE_GREEN,
                'lcm-operation-coordinate-new-vnf':
                    'Scripts/coordinate_new_vnf.py',
                'lcm-operation-coordinate-new-vnf-class':
                    'CoordinateNewVnf'}})
        out = self.openstack('vnflcm change-vnfpkg', inst_id, request,
                             parse=False)
        self.assertIn('accepted', out)
        occ_id = self.last_op(inst_id)
        self.client.wait_op(occ_id, ['FAILED_TEMP'])
        op = self.openstack('vnflcm op show', occ_id)
        self.assertEqual('FAILED_TEMP', op['Operation State'])
        self.assertEqual('CHANGE_VNFPKG', op['Operation'])
        self.openstack('vnflcm op rollback', occ_id, parse=False)
        self.client.wait_op(occ_id, ['ROLLED_BACK'])

        self.proxy.fail(500, body={'kind': 'Status', 'message': 'no'},
                        method='PATCH', path_regex='/services/nginx$',
                        nth=1)
        self.openstack('vnflcm change-vnfpkg', inst_id, request,
                       parse=False)
        occ_id = self.last_op(inst_id)
        self.client.wait_op(occ_id, ['FAILED_TEMP'])
        self.openstack('vnflcm op retry', occ_id, parse=False)
        self.client.wait_op(occ_id, ['COMPLETED'])
        op = self.openstack('vnflcm op show', occ_id)
        self.assertEqual('COMPLETED', op['Operation State'])
        shown = self.openstack('vnflcm show', inst_id)
        self.assertEqual(v2['VNFD ID'], shown['VNFD ID'])

    def test_fail_through_the_cli(self):
        v1 = self.onboard_with_cli('v1')
        inst_id = self.openstack('vnflcm create', v1['VNFD ID'])['ID']
        self.proxy.fail(500, body={'kind': 'Status', 'message': 'no'},
                        method='POST', path_regex='/deployments$', nth=1)
        self.openstack('vnflcm instantiate', inst_id, self.json_file({
            'flavourId': 'simple',
            'vimConnectionInfo': self.vim_connection_info(),
            'additionalParams': self.instantiate_params()}),
            parse=False)
        occ_id = self.last_op(inst_id)
        self.client.wait_op(occ_id, ['FAILED_TEMP'])
        failed = self.openstack('vnflcm op fail', occ_id)
        self.assertEqual('FAILED', failed['Operation State'])
