"""python-tackerclient's CLI with Keystone password authentication.

tacker-server runs with ``auth_strategy = keystone`` against the real
Keystone of the fixture; the ``openstack`` command gets the usual ``OS_*``
variables of a user the fixture made and nothing else. The client finds
the server in the token's catalogue, under the service type
``nfv-orchestration`` (python-tackerclient's OSC plugin asks keystoneauth
for that type, public interface, ``OS_REGION_NAME``); each test registers
the server there in a region of its own and removes it afterwards.
"""
import json
import os
import subprocess
import sys
import uuid


from tacker.tests.functional import keystone_base
from tacker.tests.functional import kubernetes_base as kb

CLI_TIMEOUT = 120
SERVICE_TYPE = 'nfv-orchestration'


class TestTackerClientKeystone(keystone_base.KeystoneServiceTestCase):
    def setUp(self):
        super().setUp()
        self.region = 'tacker-cli-%s' % uuid.uuid4().hex[:8]

    # -- the catalogue ---------------------------------------------------

    def register_in_catalogue(self):
        """The server as ``nfv-orchestration``, public, in our region."""
        admin = self.keystone.admin_session()
        url = self.keystone.auth_url

        def create(kind, body):
            resp = admin.post('%s/%ss' % (url, kind), json={kind: body})
            created = resp.json()[kind]
            self.addCleanup(admin.delete, '%s/%ss/%s' % (
                url, kind, created['id']))
            return created

        create('region', {'id': self.region})
        svc = create('service', {'type': SERVICE_TYPE,
                                 'name': 'tacker-' + self.region})
        create('endpoint', {'service_id': svc['id'], 'interface': 'public',
                            'region_id': self.region,
                            'url': self.service.base_url})

    # -- the CLI ---------------------------------------------------------

    def environ(self, who):
        creds = self.keystone.credentials(who)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env.update({
            'OS_AUTH_URL': self.keystone.auth_url,
            'OS_IDENTITY_API_VERSION': '3',
            'OS_USERNAME': creds['username'],
            'OS_PASSWORD': creds['password'],
            'OS_PROJECT_NAME': creds['project_name'],
            'OS_USER_DOMAIN_NAME': creds['user_domain_name'],
            'OS_PROJECT_DOMAIN_NAME': creds['project_domain_name'],
            'OS_REGION_NAME': self.region,
        })
        return env

    def run_cli(self, who, *args, api_version='2', parse=True):
        """(exit status, stdout, stderr) of ``openstack ARGS`` as ``who``."""
        argv = [os.path.join(os.path.dirname(sys.executable), 'openstack')]
        argv += list(args)
        if api_version:
            argv += ['--os-tacker-api-version', api_version]
        if parse:
            argv += ['-f', 'json']
        done = subprocess.run(argv, env=self.environ(who),
                              capture_output=True, text=True,
                              timeout=CLI_TIMEOUT)
        return done.returncode, done.stdout, done.stderr

    def openstack(self, who, *args, api_version='2', parse=True):
        status, out, err = self.run_cli(who, *args, api_version=api_version,
                                        parse=parse)
        self.assertEqual(0, status, '%s\n%s\n%s' % (args, out, err))
        return json.loads(out) if parse else out

    def package_zip(self):
        work = self.useFixture(kb.fixtures_tempdir()).path
        path = os.path.join(work, 'v1.zip')
        kb._build_tool().build_package(os.path.join(kb.SAMPLES, 'v1'), path)
        return path

    # -- tests -----------------------------------------------------------

    def test_member_drives_packages_and_instances(self):
        self.register_in_catalogue()
        pkg_id = self.openstack('member', 'vnf', 'package', 'create',
                                api_version=None)['ID']
        out = self.openstack('member', 'vnf', 'package', 'upload', '--path',
                             self.package_zip(), pkg_id, api_version=None,
                             parse=False)
        self.assertIn('accepted', out)
        pkg = self.openstack('member', 'vnf', 'package', 'show', pkg_id,
                             api_version=None)
        self.assertEqual('ONBOARDED', pkg['Onboarding State'])
        # On-boarding enabled it; a member may disable and enable it.
        self.assertEqual('ENABLED', pkg['Operational State'])
        for state in ('DISABLED', 'ENABLED'):
            self.openstack('member', 'vnf', 'package', 'update',
                           '--operational-state', state, pkg_id,
                           api_version=None)

        inst = self.openstack('member', 'vnflcm', 'create', pkg['VNFD ID'],
                              '--name', 'keystone-cli')
        self.assertEqual('NOT_INSTANTIATED', inst['Instantiation State'])
        shown = self.openstack('member', 'vnflcm', 'show', inst['ID'])
        self.assertEqual('keystone-cli', shown['VNF Instance Name'])
        self.assertEqual(pkg['VNFD ID'], shown['VNFD ID'])
        # A reader may look.
        listed = self.openstack('reader', 'vnflcm', 'list')
        self.assertEqual([inst['ID']], [i['ID'] for i in listed])
        out = self.openstack('member', 'vnflcm', 'delete', inst['ID'],
                             parse=False)
        self.assertIn(inst['ID'], out)
        self.assertEqual([], self.openstack('member', 'vnflcm', 'list'))

    def test_reader_is_refused_with_the_problem_details(self):
        self.register_in_catalogue()
        self.assertEqual([], self.openstack('reader', 'vnflcm', 'list'))
        status, out, err = self.run_cli('reader', 'vnflcm', 'create',
                                        str(uuid.uuid4()))
        self.assertEqual(1, status)
        # tackerclient prints the ProblemDetails' detail, which names the
        # policy rule that refused.
        self.assertEqual('Policy does not allow os_nfv_orchestration_api_v2:'
                         'vnf_instance:create to be performed.', err.strip())
        status, out, err = self.run_cli('reader', 'vnf', 'package',
                                        'create', api_version=None)
        self.assertEqual(1, status)
        self.assertEqual('Policy does not allow os_nfv_orchestration_api_v2:'
                         'vnf_package:create to be performed.', err.strip())
        self.assertEqual([], self.openstack('member', 'vnflcm', 'list'))

    def test_without_catalogue_entry_the_client_cannot_find_tacker(self):
        # What python-tackerclient needs: the service type in the
        # catalogue. The password is accepted, the server is not found;
        # --os-endpoint does not stand in for the catalogue with password
        # authentication.
        for extra in ((), ('--os-endpoint', self.service.base_url)):
            status, out, err = self.run_cli('member', *(extra + (
                'vnflcm', 'list')))
            self.assertEqual(1, status, extra)
            self.assertIn('public endpoint for %s service in %s region not '
                          'found' % (SERVICE_TYPE, self.region), err)
