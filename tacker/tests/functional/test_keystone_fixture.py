"""The Keystone test fixture issues real tokens with the roles we asked."""
import os

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import testtools

from tacker.tests.fixtures import keystone


class TestKeystoneFixture(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.keystone = self.useFixture(keystone.KeystoneFixture())
        self.admin = self.keystone.admin_session()

    def validate(self, token):
        resp = self.admin.get(self.keystone.auth_url + '/auth/tokens',
                              headers={'X-Subject-Token': token})
        self.assertEqual(200, resp.status_code)
        return resp.json()['token']

    def assert_token(self, key, user, project, roles):
        info = self.validate(self.keystone.token_for(key))
        self.assertEqual(user, info['user']['name'])
        self.assertEqual(project, info['project']['name'])
        self.assertEqual(roles, {role['name'] for role in info['roles']})

    # Keystone's bootstrap makes admin imply manager, manager imply
    # member and member imply reader: a token carries the implied roles.
    def test_admin_token(self):
        self.assert_token('admin', 'tacker-admin', 'tacker-test',
                          {'admin', 'manager', 'member', 'reader'})

    def test_member_token(self):
        self.assert_token('member', 'tacker-member', 'tacker-test',
                          {'member', 'reader'})

    def test_reader_token(self):
        self.assert_token('reader', 'tacker-reader', 'tacker-test',
                          {'reader'})

    def test_service_user_token(self):
        self.assert_token('service', 'tacker', 'service',
                          {'admin', 'manager', 'member', 'reader'})

    def test_user_without_role_on_project(self):
        self.assert_token('no-role', 'tacker-no-role', 'tacker-other',
                          {'member', 'reader'})
        creds = self.keystone.credentials('no-role')
        creds['project_name'] = 'tacker-test'
        auth = v3.Password(auth_url=self.keystone.auth_url, **creds)
        sess = ks_session.Session(auth=auth, timeout=10)
        self.assertRaises(ks_exc.Unauthorized, sess.get_token)

    def test_invalid_token_is_refused(self):
        resp = self.admin.get(self.keystone.auth_url + '/auth/tokens',
                              headers={'X-Subject-Token': 'not-a-token'},
                              raise_exc=False)
        self.assertEqual(404, resp.status_code)

    def test_authtoken_settings_authenticate(self):
        settings = self.keystone.authtoken_settings()
        self.assertEqual('password', settings['auth_type'])
        self.assertEqual(self.keystone.auth_url,
                         settings['www_authenticate_uri'])
        self.assertEqual('tacker', settings['username'])
        auth = v3.Password(
            auth_url=settings['auth_url'],
            username=settings['username'],
            password=settings['password'],
            project_name=settings['project_name'],
            user_domain_name=settings['user_domain_name'],
            project_domain_name=settings['project_domain_name'])
        token = ks_session.Session(auth=auth, timeout=10).get_token()
        self.assertEqual('tacker', self.validate(token)['user']['name'])


class TestPrivateKeystone(testtools.TestCase):

    def test_private_server_is_stopped_on_cleanup(self):
        fixture = keystone.KeystoneFixture(shared=False)
        with fixture:
            server = fixture.server
            process = server.process
            state_dir = server.state_dir
            self.assertTrue(fixture.token_for('reader'))
        self.assertIsNotNone(process.poll())
        self.assertFalse(os.path.exists(state_dir))
        sess = ks_session.Session()
        self.assertRaises(ks_exc.ConnectFailure, sess.get, fixture.auth_url,
                          authenticated=False, timeout=2)
