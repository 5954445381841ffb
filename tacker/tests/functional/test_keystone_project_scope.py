"""Project scoping through a real Keystone, on every route.

Project A is the fixture's ``tacker-test`` (users admin, member, reader),
project B its ``tacker-other`` (other-member, other-reader). B's member
gets the same 404 on A's resources as on ids that do not exist, B's lists
never show A's, A's reader reads but may not act, the admin (of A, with
the admin role) sees and acts on both; A's subscription hears of A's
instances only. Instantiation runs on the step VIM.
"""
import json
import uuid

from tacker.tests import etsi_openapi
from tacker.tests.functional import keystone_base
from tacker.tests.functional import service
from tacker.tests import step_vim
from tacker.tests.unit.data import packages
from tacker.tests.unit import notification_receiver

INSTANCES = '/vnflcm/v2/vnf_instances'
OCCS = '/vnflcm/v2/vnf_lcm_op_occs'
SUBSCRIPTIONS = '/vnflcm/v2/subscriptions'
PACKAGES = '/vnfpkgm/v1/vnf_packages'
MERGE_PATCH = {'Content-Type': 'application/merge-patch+json'}
ZIP = {'Accept': 'application/zip'}


class ProjectScopeBase(keystone_base.KeystoneServiceTestCase):
    def setUp(self):
        super().setUp()
        self.vim = step_vim.StepVim(store_file=self.service.store_file)
        self._clients = {}

    def client(self, who, version='2.0.0'):
        key = (who, version)
        if key not in self._clients:
            client = service.Client(self.service.base_url, version=version)
            client.session.headers['X-Auth-Token'] = (
                self.keystone.token_for(who))
            self._clients[key] = client
        return self._clients[key]

    def pkgm(self, who):
        # The package API asks for no Version header.
        return self.client(who, version=None)

    def onboard(self, who):
        client = self.pkgm(who)
        created = client.request('POST', PACKAGES, {})
        self.assertEqual(201, created.status_code, created.text)
        self.assertNotIn('projectId', created.body)
        content = packages.build('k8s_simple', edit=packages.with_vnfd_id(
            'k8s_simple', str(uuid.uuid4())))
        resp = client.request(
            'PUT', '%s/%s/package_content' % (PACKAGES, created.body['id']),
            data=content, headers={'Content-Type': 'application/zip'})
        self.assertEqual(202, resp.status_code, resp.text)
        pkg = client.request('GET', '%s/%s' % (PACKAGES, created.body['id']))
        self.assertEqual('ENABLED', pkg.body['operationalState'])
        return pkg.body

    def create_instance(self, who, pkg):
        resp = self.client(who).request('POST', INSTANCES,
                                        {'vnfdId': pkg['vnfdId']})
        self.assertEqual(201, resp.status_code, resp.text)
        self.assertNotIn('projectId', resp.body)
        return resp.body

    def start_op(self, who, inst_id, op, body):
        resp = self.client(who).request(
            'POST', '%s/%s/%s' % (INSTANCES, inst_id, op), body)
        self.assertEqual(202, resp.status_code, resp.text)
        return resp.headers['Location'].rsplit('/', 1)[1]

    def instantiate_body(self):
        return {'flavourId': 'simple', 'vimConnectionInfo': {'vim1': {
            'vimId': 'vim-1', 'vimType': step_vim.VIM_TYPE,
            'interfaceInfo': {'endpoint': 'http://127.0.0.1:1/'},
            'accessInfo': {'username': 'nfv', 'password': 'scope-s3cret'}}}}

    def assertLikeMissing(self, client, method, collection, real_id,
                          suffix='', body=None, **kwargs):
        """The answer on real_id is the 404 of an id nobody has."""
        missing_id = str(uuid.uuid4())
        missing = client.request(method, '%s/%s%s' % (
            collection, missing_id, suffix), body, **kwargs)
        resp = client.request(method, '%s/%s%s' % (
            collection, real_id, suffix), body, **kwargs)
        what = '%s %s/%s%s' % (method, collection, real_id, suffix)
        self.assertEqual(404, missing.status_code, missing.text)
        self.assertEqual(404, resp.status_code, what + ': ' + resp.text)
        self.assertEqual(missing.headers['Content-Type'],
                         resp.headers['Content-Type'])
        expected = dict(missing.body)
        expected['detail'] = expected['detail'].replace(missing_id, real_id)
        self.assertEqual(expected, resp.body, what)

    def ids(self, who, path):
        client = self.pkgm(who) if path == PACKAGES else self.client(who)
        resp = client.request('GET', path)
        self.assertEqual(200, resp.status_code, resp.text)
        for entry in resp.body:
            self.assertNotIn('projectId', entry)
        return {entry['id'] for entry in resp.body}


class TestPackagesAndInstances(ProjectScopeBase):

    def test_packages(self):
        pkg = self.onboard('member')
        b_pkg = self.onboard('other-member')
        other = self.pkgm('other-member')
        for method, suffix, body, headers in (
                ('GET', '', None, None),
                ('GET', '/vnfd', None, ZIP),
                ('GET', '/package_content', None, ZIP),
                ('PATCH', '', None, MERGE_PATCH),
                ('DELETE', '', None, None)):
            data = (json.dumps({'operationalState': 'DISABLED'})
                    if method == 'PATCH' else None)
            self.assertLikeMissing(other, method, PACKAGES, pkg['id'],
                                   suffix, body, headers=headers, data=data)
        self.assertEqual({b_pkg['id']}, self.ids('other-member', PACKAGES))
        self.assertEqual({pkg['id']}, self.ids('reader', PACKAGES))
        self.assertEqual({pkg['id'], b_pkg['id']},
                         self.ids('admin', PACKAGES))
        # A's reader reads, downloads, but does not change.
        reader = self.pkgm('reader')
        item = '%s/%s' % (PACKAGES, pkg['id'])
        self.assertEqual(200, reader.request('GET', item).status_code)
        self.assertEqual(200, reader.request(
            'GET', item + '/package_content', headers=ZIP).status_code)
        for method, extra in (('PATCH', {'headers': MERGE_PATCH,
                                         'data': '{"userDefinedData": '
                                                 '{"k": "v"}}'}),
                              ('DELETE', {})):
            resp = reader.request(method, item, **extra)
            self.assertEqual(403, resp.status_code, resp.text)
        # B cannot make an instance of A's package: its vnfdId is unknown.
        unknown = self.client('other-member').request(
            'POST', INSTANCES, {'vnfdId': str(uuid.uuid4())})
        resp = self.client('other-member').request(
            'POST', INSTANCES, {'vnfdId': pkg['vnfdId']})
        self.assertEqual(unknown.status_code, resp.status_code)
        self.assertEqual(404, resp.status_code)
        self.assertEqual(unknown.body['title'], resp.body['title'])
        # The admin acts on A's package.
        resp = self.pkgm('admin').request(
            'PATCH', item, headers=MERGE_PATCH,
            data=json.dumps({'operationalState': 'DISABLED'}))
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual(204, self.pkgm('admin').request(
            'DELETE', item).status_code)

    def test_instances_and_operations(self):
        pkg = self.onboard('member')
        b_inst = self.create_instance('other-member',
                                      self.onboard('other-member'))
        inst = self.create_instance('member', pkg)
        other = self.client('other-member')
        for method, suffix, body in (
                ('GET', '', None), ('DELETE', '', None),
                ('POST', '/instantiate', self.instantiate_body()),
                ('POST', '/change_vnfpkg', {
                    'vnfdId': pkg['vnfdId'],
                    'additionalParams': {'upgrade_type': 'RollingUpdate'}}),
                ('POST', '/terminate', {'terminationType': 'FORCEFUL'})):
            self.assertLikeMissing(other, method, INSTANCES, inst['id'],
                                   suffix, body)
        self.assertEqual({b_inst['id']}, self.ids('other-member', INSTANCES))
        self.assertEqual({inst['id']}, self.ids('reader', INSTANCES))
        self.assertEqual({inst['id'], b_inst['id']},
                         self.ids('admin', INSTANCES))
        reader = self.client('reader')
        item = '%s/%s' % (INSTANCES, inst['id'])
        self.assertEqual(200, reader.request('GET', item).status_code)
        for method, suffix, body in (
                ('DELETE', '', None),
                ('POST', '/instantiate', self.instantiate_body()),
                ('POST', '/terminate', {'terminationType': 'FORCEFUL'})):
            resp = reader.request(method, item + suffix, body)
            self.assertEqual(403, resp.status_code, resp.text)

        # An operation left FAILED_TEMP in A.
        self.vim.fail('create_servers')
        occ_id = self.start_op('member', inst['id'], 'instantiate',
                               self.instantiate_body())
        self.client('member').wait_op(occ_id, ['FAILED_TEMP'])
        for method, suffix in (('GET', ''), ('POST', '/retry'),
                               ('POST', '/rollback'), ('POST', '/fail')):
            self.assertLikeMissing(other, method, OCCS, occ_id, suffix)
        self.assertEqual(set(), self.ids('other-member', OCCS))
        self.assertEqual({occ_id}, self.ids('reader', OCCS))
        occ_item = '%s/%s' % (OCCS, occ_id)
        self.assertEqual(200, reader.request('GET', occ_item).status_code)
        for task in ('retry', 'rollback', 'fail'):
            resp = reader.request('POST', '%s/%s' % (occ_item, task))
            self.assertEqual(403, resp.status_code, resp.text)
        # The admin retries it: the conductor works on A's records.
        admin = self.client('admin')
        self.assertEqual(202, admin.request(
            'POST', occ_item + '/retry').status_code)
        admin.wait_op(occ_id, ['COMPLETED'])
        self.assertEqual({occ_id}, self.ids('admin', OCCS))
        shown = self.client('member').request('GET', item).body
        self.assertEqual('INSTANTIATED', shown['instantiationState'])
        # B's vnfdId is unknown to a change of A's instance.
        b_pkg = self.onboard('other-member')
        resp = self.client('member').request(
            'POST', item + '/change_vnfpkg', {
                'vnfdId': b_pkg['vnfdId'],
                'additionalParams': {'upgrade_type': 'RollingUpdate'}})
        self.assertEqual(404, resp.status_code, resp.text)
        self.assertIn(b_pkg['vnfdId'], resp.body['detail'])
        # The member of A acts on its own instance.
        occ_id = self.start_op('member', inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.client('member').wait_op(occ_id, ['COMPLETED'])
        self.assertEqual(204, self.client('member').request(
            'DELETE', item).status_code)


class TestSubscriptionsAndNotifications(ProjectScopeBase):

    def subscribe(self, who, receiver):
        resp = self.client(who).request('POST', SUBSCRIPTIONS,
                                        {'callbackUri': receiver.uri()})
        self.assertEqual(201, resp.status_code, resp.text)
        self.assertNotIn('projectId', resp.body)
        return resp.body['id']

    def test_subscriptions_and_who_hears_what(self):
        receiver_a = self.useFixture(notification_receiver.Receiver())
        receiver_b = self.useFixture(notification_receiver.Receiver())
        subsc_a = self.subscribe('member', receiver_a)
        subsc_b = self.subscribe('other-member', receiver_b)
        other = self.client('other-member')
        for method in ('GET', 'DELETE'):
            self.assertLikeMissing(other, method, SUBSCRIPTIONS, subsc_a)
        self.assertEqual({subsc_b}, self.ids('other-member', SUBSCRIPTIONS))
        self.assertEqual({subsc_a}, self.ids('reader', SUBSCRIPTIONS))
        self.assertEqual({subsc_a, subsc_b},
                         self.ids('admin', SUBSCRIPTIONS))
        item = '%s/%s' % (SUBSCRIPTIONS, subsc_a)
        self.assertEqual(200, self.client('reader').request(
            'GET', item).status_code)
        self.assertEqual(403, self.client('reader').request(
            'DELETE', item).status_code)

        inst_a = self.create_instance('member', self.onboard('member'))
        occ_id = self.start_op('member', inst_a['id'], 'instantiate',
                               self.instantiate_body())
        self.client('member').wait_op(occ_id, ['COMPLETED'])
        inst_b = self.create_instance('other-member',
                                      self.onboard('other-member'))
        # creation, STARTING, PROCESSING, COMPLETED for A; creation for B.
        receiver_a.wait_for(4)
        receiver_b.wait_for(1)
        bodies_a, bodies_b = receiver_a.bodies(), receiver_b.bodies()
        for body in bodies_a + bodies_b:
            etsi_openapi.check_notification(body)
        self.assertEqual({inst_a['id']},
                         {b['vnfInstanceId'] for b in bodies_a})
        self.assertEqual({subsc_a}, {b['subscriptionId'] for b in bodies_a})
        self.assertEqual(4, len(bodies_a))
        self.assertEqual([inst_b['id']],
                         [b['vnfInstanceId'] for b in bodies_b])
        self.assertNotIn('scope-s3cret', str(bodies_a))
        # The admin deletes A's subscription.
        self.assertEqual(204, self.client('admin').request(
            'DELETE', item).status_code)
        self.assertEqual(set(), self.ids('member', SUBSCRIPTIONS))
