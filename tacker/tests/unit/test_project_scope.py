"""Project scoping: each project sees and acts on its own resources only.

The app runs with ``auth_strategy = keystone`` behind no token check, so
the tests hand it the headers keystonemiddleware would set.
"""
import uuid

import fixtures
from oslo_context import context as oslo_context
import sqlalchemy as sa

from tacker.sol_refactored.api import app as sol_app
from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.api import policy
from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import notification
from tacker.sol_refactored.common import project_scope
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.conductor import rpc
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import models
from tacker.sol_refactored import objects
from tacker.tests import api_base
from tacker.tests import base
from tacker.tests import etsi_openapi
from tacker.tests.unit.data import packages
from tacker.tests.unit import notification_receiver

CALLERS = {
    'a-member': ('proj-a', 'member,reader'),
    'a-reader': ('proj-a', 'reader'),
    'b-member': ('proj-b', 'member,reader'),
    'admin': ('proj-admin', 'admin,member,reader'),
}
INSTANCES = '/vnflcm/v2/vnf_instances'
OCCS = '/vnflcm/v2/vnf_lcm_op_occs'
SUBSCRIPTIONS = '/vnflcm/v2/subscriptions'
PACKAGES = '/vnfpkgm/v1/vnf_packages'


class TestScopeRules(base.TestCase):
    def ctx(self, project=None, admin=False):
        return sol_context.Context(project_id=project, is_admin=admin)

    def test_condition(self):
        column = models.VnfInstance.projectId
        self.assertIsNone(project_scope.condition(column, self.ctx('p', True)))
        self.assertIsNone(project_scope.condition(column, None))
        where = project_scope.condition(column, self.ctx('p'))
        self.assertIn('"projectId" =', str(where))
        # No project: nothing, not the rows without a project.
        self.assertEqual('false', str(project_scope.condition(
            column, self.ctx())))

    def test_owner_of_new(self):
        self.assertEqual('p', project_scope.owner_of_new(self.ctx('p')))
        self.assertIsNone(project_scope.owner_of_new(self.ctx(admin=True)))
        self.conf.config(default_project_id='ops')
        self.assertEqual('ops', project_scope.owner_of_new(
            sol_context.Context.admin()))
        self.assertEqual('p', project_scope.owner_of_new(self.ctx('p')))
        self.assertRaises(sol_ex.Forbidden, project_scope.owner_of_new,
                          self.ctx())

    def test_admin_is_decided_by_policy(self):
        environ = {'HTTP_X_PROJECT_ID': 'p', 'HTTP_X_ROLES': 'member'}
        self.assertFalse(sol_context.from_environ(
            environ, 'keystone').is_admin)
        environ['HTTP_X_ROLES'] = 'admin'
        self.assertTrue(sol_context.from_environ(
            environ, 'keystone').is_admin)
        self.assertTrue(sol_context.from_environ({}, 'noauth').is_admin)

    def test_rules_check_the_resource_project(self):
        member = sol_context.Context(project_id='a', roles=['member'])
        policy.authorize(member, 'vnf_instance:delete')
        policy.authorize(member, 'vnf_instance:delete', 'a')
        self.assertRaises(sol_ex.Forbidden, policy.authorize, member,
                          'vnf_instance:delete', 'b')
        self.assertRaises(sol_ex.Forbidden, policy.authorize, member,
                          'vnf_instance:show', 'b')
        admin = sol_context.Context(project_id='x', roles=['admin'])
        policy.authorize(admin, 'vnf_instance:delete', 'b')

    def test_rpc_carries_project_and_admin(self):
        serializer = rpc.ContextSerializer()
        for ctx in (sol_context.Context(project_id='a', roles=['member']),
                    sol_context.Context.admin()):
            back = serializer.deserialize_context(
                serializer.serialize_context(ctx))
            self.assertIsInstance(back, oslo_context.RequestContext)
            self.assertEqual((ctx.project_id, ctx.is_admin),
                             (back.project_id, back.is_admin))

    def test_list_filters_in_sql(self):
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        engine = db_api.get_engine()
        sa.event.listen(engine, 'before_cursor_execute', record)
        self.addCleanup(sa.event.remove, engine, 'before_cursor_execute',
                        record)
        objects.VnfInstance.get_all(self.ctx('p'))
        selects = [s for s in statements if s.startswith('SELECT')]
        self.assertEqual(1, len(selects))
        self.assertIn('WHERE vnf_instances."projectId" = ?', selects[0])


class ProjectScopeTestCase(api_base.ApiTestCase):
    def setUp(self):
        super().setUp()
        self.app = wsgi.ContextMiddleware(sol_app.build_router(),
                                          'keystone')

    def as_(self, who, method, path, body=None, **kwargs):
        project, roles = CALLERS[who]
        headers = {'X-Identity-Status': 'Confirmed',
                   'X-Project-Id': project, 'X-Roles': roles,
                   'X-User-Id': who}
        if path.startswith('/vnflcm'):
            headers.update(api_base.V2)
        return self.call(method, path, body, headers=headers, **kwargs)

    def package(self, project, **kwargs):
        pkg = self.add_package(**kwargs)
        with db_api.writer(self.admin_context()) as session:
            session.execute(sa.update(models.VnfPackage).where(
                models.VnfPackage.id == pkg.id).values(projectId=project))
        return pkg

    def instance(self, who, pkg):
        answer = self.as_(who, 'POST', INSTANCES, {'vnfdId': pkg.vnfdId})
        self.assertEqual(201, answer.status, answer.body)
        self.assertNotIn('projectId', answer.body)
        return answer.body

    def assertSameAsMissing(self, answer, missing, real_id):
        self.assertEqual(404, answer.status, answer.body)
        self.assertEqual(missing.status, answer.status)
        self.assertEqual(
            missing.body['detail'].replace('missing-id', real_id),
            answer.body['detail'])
        self.assertEqual(missing.body['title'], answer.body['title'])


class TestPackages(ProjectScopeTestCase):
    start_conductor = False

    def upload_as(self, who, pkg_id, vnfd_id):
        content = packages.build('k8s_simple', edit=packages.with_vnfd_id(
            'k8s_simple', vnfd_id))
        return self.as_(who, 'PUT', '%s/%s/package_content' % (
            PACKAGES, pkg_id), raw=content, content_type='application/zip')

    def onboard_as(self, who, vnfd_id=None):
        pkg = self.as_(who, 'POST', PACKAGES, {}).body
        answer = self.upload_as(who, pkg['id'], vnfd_id or str(uuid.uuid4()))
        self.assertEqual(202, answer.status, answer.body)
        return pkg['id']

    def test_other_projects_package_is_404(self):
        pkg_id = self.onboard_as('a-member')
        item = '%s/%s' % (PACKAGES, pkg_id)
        self.assertEqual(200, self.as_('a-reader', 'GET', item).status)
        for method, suffix, body, ctype in (
                ('GET', '', None, None),
                ('GET', '/vnfd', None, None),
                ('GET', '/package_content', None, None),
                ('PATCH', '', {'operationalState': 'DISABLED'},
                 'application/merge-patch+json'),
                ('DELETE', '', None, None)):
            kwargs = {'content_type': ctype} if ctype else {}
            missing = self.as_('b-member', method, '%s/missing-id%s' % (
                PACKAGES, suffix), body, **kwargs)
            answer = self.as_('b-member', method, item + suffix, body,
                              **kwargs)
            self.assertSameAsMissing(answer, missing, pkg_id)
        # A's reader sees but may not change.
        answer = self.as_('a-reader', 'PATCH', item,
                          {'operationalState': 'DISABLED'},
                          content_type='application/merge-patch+json')
        self.assertEqual(403, answer.status)
        self.assertEqual('ENABLED', self.as_(
            'a-member', 'GET', item).body['operationalState'])

    def test_lists_and_admin(self):
        a_id = self.onboard_as('a-member')
        b_id = self.onboard_as('b-member')
        ids = {who: [p['id'] for p in self.as_(who, 'GET', PACKAGES).body]
               for who in ('a-reader', 'b-member', 'admin')}
        self.assertEqual([a_id], ids['a-reader'])
        self.assertEqual([b_id], ids['b-member'])
        self.assertEqual({a_id, b_id}, set(ids['admin']))
        for pkg in self.as_('admin', 'GET', PACKAGES).body:
            self.assertNotIn('projectId', pkg)
        answer = self.as_('admin', 'PATCH', '%s/%s' % (PACKAGES, a_id),
                          {'operationalState': 'DISABLED'},
                          content_type='application/merge-patch+json')
        self.assertEqual(200, answer.status, answer.body)
        self.assertEqual(204, self.as_('admin', 'DELETE', '%s/%s' % (
            PACKAGES, a_id)).status)

    def test_same_vnfd_in_another_project_does_not_name_the_package(self):
        vnfd_id = str(uuid.uuid4())
        a_id = self.onboard_as('a-member', vnfd_id)
        b_id = self.as_('b-member', 'POST', PACKAGES, {}).body['id']
        stored = objects.VnfPkgInfo.get_by_id(self.admin_context(), b_id)
        self.assertEqual('proj-b', stored.projectId)
        # vnfdId is globally unique (SOL001); the conflict says so without
        # naming the other project's package.
        answer = self.upload_as('b-member', b_id, vnfd_id)
        self.assertEqual(409, answer.status, answer.body)
        self.assertNotIn(a_id, answer.body['detail'])


class TestInstancesAndOccs(ProjectScopeTestCase):

    def test_package_of_another_project_is_an_unknown_vnfd_id(self):
        pkg = self.package('proj-a')
        unknown = self.as_('b-member', 'POST', INSTANCES,
                           {'vnfdId': 'missing-id'})
        answer = self.as_('b-member', 'POST', INSTANCES,
                          {'vnfdId': pkg.vnfdId})
        self.assertSameAsMissing(answer, unknown, pkg.vnfdId)
        inst = self.instance('a-member', pkg)
        stored = objects.VnfInstance.get_by_id(self.admin_context(),
                                               inst['id'])
        self.assertEqual('proj-a', stored.projectId)
        # change_vnfpkg to B's package from A: unknown as well.
        b_pkg = self.package('proj-b')
        occ_id = self.start_as('a-member', inst['id'], 'instantiate',
                               self.instantiate_body())
        self.wait_state(occ_id, 'COMPLETED')
        answer = self.as_('a-member', 'POST', '%s/%s/change_vnfpkg' % (
            INSTANCES, inst['id']), {'vnfdId': b_pkg.vnfdId,
                                     'additionalParams': {
                                         'upgrade_type': 'RollingUpdate'}})
        self.assertEqual(404, answer.status, answer.body)
        self.assertIn(b_pkg.vnfdId, answer.body['detail'])

    def start_as(self, who, inst_id, op, body):
        answer = self.as_(who, 'POST', '%s/%s/%s' % (INSTANCES, inst_id, op),
                          body)
        self.assertEqual(202, answer.status, answer.body)
        return answer.headers['Location'].rsplit('/', 1)[1]

    def test_other_projects_instance_and_occ_are_404(self):
        inst = self.instance('a-member', self.package('proj-a'))
        item = '%s/%s' % (INSTANCES, inst['id'])
        for method, suffix, body in (
                ('GET', '', None), ('DELETE', '', None),
                ('POST', '/instantiate', self.instantiate_body()),
                ('POST', '/change_vnfpkg', {'vnfdId': 'x'}),
                ('POST', '/terminate', {'terminationType': 'FORCEFUL'})):
            missing = self.as_('b-member', method, '%s/missing-id%s' % (
                INSTANCES, suffix), body)
            answer = self.as_('b-member', method, item + suffix, body)
            self.assertSameAsMissing(answer, missing, inst['id'])
        # A's reader: may read, may not act.
        self.assertEqual(200, self.as_('a-reader', 'GET', item).status)
        self.assertEqual(403, self.as_('a-reader', 'DELETE', item).status)

        self.vim.fail('create_servers')
        occ_id = self.start_as('a-member', inst['id'], 'instantiate',
                               self.instantiate_body())
        occ = self.wait_state(occ_id, 'FAILED_TEMP')
        self.assertEqual('proj-a', occ.projectId)
        occ_item = '%s/%s' % (OCCS, occ_id)
        for method, suffix in (('GET', ''), ('POST', '/retry'),
                               ('POST', '/rollback'), ('POST', '/fail')):
            missing = self.as_('b-member', method, '%s/missing-id%s' % (
                OCCS, suffix))
            answer = self.as_('b-member', method, occ_item + suffix)
            self.assertSameAsMissing(answer, missing, occ_id)
        self.assertEqual([], self.as_('b-member', 'GET', OCCS).body)
        self.assertEqual([], self.as_('b-member', 'GET', INSTANCES).body)
        shown = self.as_('a-reader', 'GET', occ_item)
        self.assertEqual(200, shown.status)
        self.assertNotIn('projectId', shown.body)
        self.assertEqual(403, self.as_('a-reader', 'POST',
                                       occ_item + '/retry').status)
        self.assertEqual([occ_id], [o['id'] for o in self.as_(
            'a-reader', 'GET', OCCS).body])
        # The admin acts on A's operation; the conductor gets its context.
        self.assertEqual(202, self.as_('admin', 'POST',
                                       occ_item + '/retry').status)
        self.wait_state(occ_id, 'COMPLETED')
        self.assertEqual([inst['id']], [i['id'] for i in self.as_(
            'admin', 'GET', INSTANCES).body])


class TestNotificationsStayInTheProject(ProjectScopeTestCase):
    def setUp(self):
        super().setUp()
        self.conf.config(public_endpoint='http://tacker.test:9890')
        for name in ('no_proxy', 'NO_PROXY'):
            self.useFixture(fixtures.EnvironmentVariable(name, '127.0.0.1'))
        # The receivers listen on loopback, which must be allowed.
        self.conf.config(allowed_callback_networks=['127.0.0.0/8'],
                         group='notification')
        self.receivers = {
            who: self.useFixture(notification_receiver.Receiver())
            for who in ('a-member', 'b-member', 'admin')}

    def subscribe(self, who):
        answer = self.as_(who, 'POST', SUBSCRIPTIONS,
                          {'callbackUri': self.receivers[who].uri()})
        self.assertEqual(201, answer.status, answer.body)
        self.assertNotIn('projectId', answer.body)
        return answer.body['id']

    def test_each_subscription_hears_its_project_only(self):
        subscriptions = {who: self.subscribe(who) for who in self.receivers}
        item = '%s/%s' % (SUBSCRIPTIONS, subscriptions['a-member'])
        for method in ('GET', 'DELETE'):
            missing = self.as_('b-member', method,
                               SUBSCRIPTIONS + '/missing-id')
            self.assertSameAsMissing(self.as_('b-member', method, item),
                                     missing, subscriptions['a-member'])
        # B's twin of A's subscription is B's own, not a 303 to A's.
        twin = self.as_('b-member', 'POST', SUBSCRIPTIONS, {
            'callbackUri': self.receivers['a-member'].uri()})
        self.assertEqual(201, twin.status, twin.body)
        self.assertEqual({subscriptions['b-member'], twin.body['id']}, {
            s['id'] for s in self.as_('b-member', 'GET',
                                      SUBSCRIPTIONS).body})
        self.assertEqual(4, len(self.as_('admin', 'GET',
                                         SUBSCRIPTIONS).body))
        inst = self.instance('a-member', self.package('proj-a'))
        occ_id = self.start_as_a(inst['id'])
        self.wait_state(occ_id, 'COMPLETED')
        self.assertTrue(notification.wait_idle(10))
        a_bodies = self.receivers['a-member'].bodies()
        # creation, STARTING, PROCESSING, COMPLETED
        self.assertEqual(4, len(a_bodies), a_bodies)
        for body in a_bodies:
            etsi_openapi.check_notification(body)
            self.assertEqual(subscriptions['a-member'],
                             body['subscriptionId'])
        self.assertEqual([], self.receivers['b-member'].bodies())
        self.assertEqual([], self.receivers['admin'].bodies())

    def start_as_a(self, inst_id):
        answer = self.as_('a-member', 'POST', '%s/%s/instantiate' % (
            INSTANCES, inst_id), self.instantiate_body())
        self.assertEqual(202, answer.status, answer.body)
        return answer.headers['Location'].rsplit('/', 1)[1]


class TestNoauthKeepsWorking(api_base.ApiTestCase):
    start_conductor = False

    def test_rows_get_the_default_project(self):
        self.conf.config(default_project_id='ops')
        inst = self.create_instance()
        stored = objects.VnfInstance.get_by_id(self.admin_context(),
                                               inst['id'])
        self.assertEqual('ops', stored.projectId)
        # Rows of other projects are listed too: noauth is an admin.
        other = objects.VnfInstance.get_by_id(self.admin_context(),
                                              inst['id'])
        other.id = str(uuid.uuid4())
        other.projectId = 'someone'
        other.createdAt = timeutil.utcnow()
        with db_api.writer(self.admin_context()) as session:
            other.create(session)
        self.assertEqual(2, len(self.call('GET', INSTANCES).body))
