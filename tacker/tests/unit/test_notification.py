"""Notification content, filter matching and delivery over real HTTP."""
import uuid

import fixtures
import sqlalchemy as sa

from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.common import callback_client
from tacker.sol_refactored.common import delivery
from tacker.sol_refactored.common import notification
from tacker.sol_refactored.common import subscription_filter
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored import objects
from tacker.tests import base
from tacker.tests import etsi_openapi
from tacker.tests.unit import notification_receiver as nr

PASSWORD = 's3cret-callback-password'
VIM_PASSWORD = 'vim-password-not-for-subscribers'
ENDPOINT = 'http://tacker.test:9890'


def make_inst(**kwargs):
    values = dict(id=str(uuid.uuid4()), vnfInstanceName='vnf-a',
                  vnfdId='vnfd-1', vnfProvider='Company',
                  vnfProductName='Sample VNF', vnfSoftwareVersion='1.0',
                  vnfdVersion='1.1', instantiationState='INSTANTIATED',
                  createdAt=timeutil.utcnow())
    values.update(kwargs)
    return objects.VnfInstance(**values)


def make_lcmocc(inst, state='STARTING', operation='CHANGE_VNFPKG',
                **kwargs):
    now = timeutil.utcnow()
    values = dict(id=str(uuid.uuid4()), operationState=state,
                  stateEnteredTime=now, startTime=now,
                  vnfInstanceId=inst.id, operation=operation,
                  isAutomaticInvocation=False, isCancelPending=False)
    values.update(kwargs)
    return objects.VnfLcmOpOcc(**values)


def with_results(lcmocc):
    handle = objects.ResourceHandle(resourceId='server-2',
                                    vimLevelResourceType='OS::Nova::Server')
    lcmocc.resourceChanges = objects.ResourceChanges(affectedVnfcs=[
        objects.AffectedVnfc(id='vnfc-1', vduId='VDU1', changeType='ADDED',
                             computeResource=handle)])
    lcmocc.changedInfo = objects.VnfInfoModifications(
        vnfdId='vnfd-2', vnfInstanceName='renamed',
        vimConnectionInfo={'vim1': {
            'vimType': 'ETSINFV.OPENSTACK_KEYSTONE.V_3',
            'accessInfo': {'username': 'admin',
                           'password': VIM_PASSWORD}}})
    lcmocc.changedExtConnectivity = [{
        'id': 'ext-vl-1', 'resourceHandle': {'resourceId': 'net-1'},
        'currentVnfExtCpData': [{'cpdId': 'CP1'}]}]
    return lcmocc


class NotificationTestBase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.conf.config(public_endpoint=ENDPOINT)
        # Callbacks go to 127.0.0.1 only, even where a proxy is configured.
        for name in ('no_proxy', 'NO_PROXY'):
            self.useFixture(fixtures.EnvironmentVariable(name, '127.0.0.1'))
        self.conf.config(workers=2, timeout=2.0, retry_interval=0.01,
                         max_attempts=3, group='notification')
        # The receivers listen on loopback, which callbacks may reach
        # only when the operator lists it.
        self.conf.config(allowed_callback_networks=['127.0.0.0/8'],
                         group='notification')
        self.context = sol_context.Context.admin()
        callback_client.TOKENS.clear()
        # Runs after the receivers stopped (cleanups run in reverse).
        self.addCleanup(delivery.reset, 10)

    def subscribe(self, uri, subsc_filter=None, verbosity='FULL',
                  authentication=None):
        subsc = objects.LccnSubscription(
            id=str(uuid.uuid4()), callbackUri=uri, verbosity=verbosity,
            createdAt=timeutil.utcnow())
        if subsc_filter is not None:
            subsc.filter = subsc_filter
        if authentication is not None:
            subsc.authentication = authentication
        with db_api.writer(self.context) as session:
            subsc.create(session)
        return subsc

    def notify_and_wait(self, lcmocc, inst):
        notification.notify_lcmocc(self.context, lcmocc, inst)
        self.assertTrue(notification.wait_idle(20))


class NotificationBodyTest(NotificationTestBase):

    def body(self, lcmocc, verbosity='FULL'):
        subsc = objects.LccnSubscription(id='subsc-1', callbackUri='x',
                                         verbosity=verbosity)
        body = notification.lcmocc_body(
            lcmocc, subsc, 'n-1', ENDPOINT, '2024-01-01T00:00:00Z')
        etsi_openapi.check_notification(body)
        return body

    def test_start(self):
        inst = make_inst()
        for state in ('STARTING', 'PROCESSING', 'ROLLING_BACK'):
            lcmocc = with_results(make_lcmocc(inst, state))
            body = self.body(lcmocc)
            self.assertEqual('START', body['notificationStatus'])
            self.assertEqual(state, body['operationState'])
            self.assertNotIn('affectedVnfcs', body)
            self.assertNotIn('modificationsTriggeredByVnfPkgChange', body)
        self.assertEqual({
            'id': 'n-1',
            'notificationType': 'VnfLcmOperationOccurrenceNotification',
            'subscriptionId': 'subsc-1',
            'timeStamp': '2024-01-01T00:00:00Z',
            'notificationStatus': 'START',
            'operationState': 'ROLLING_BACK',
            'vnfInstanceId': inst.id,
            'operation': 'CHANGE_VNFPKG',
            'isAutomaticInvocation': False,
            'verbosity': 'FULL',
            'vnfLcmOpOccId': lcmocc.id,
            '_links': {
                'vnfInstance': {'href': '%s/vnflcm/v2/vnf_instances/%s' % (
                    ENDPOINT, inst.id)},
                'subscription': {'href': '%s/vnflcm/v2/subscriptions/'
                                         'subsc-1' % ENDPOINT},
                'vnfLcmOpOcc': {'href': '%s/vnflcm/v2/vnf_lcm_op_occs/%s' % (
                    ENDPOINT, lcmocc.id)}},
        }, body)

    def test_result_full(self):
        inst = make_inst()
        lcmocc = with_results(make_lcmocc(inst, 'COMPLETED'))
        body = self.body(lcmocc)
        self.assertEqual('RESULT', body['notificationStatus'])
        self.assertEqual('vnfc-1', body['affectedVnfcs'][0]['id'])
        self.assertEqual('server-2', body['affectedVnfcs'][0][
            'computeResource']['resourceId'])
        self.assertNotIn('affectedVirtualLinks', body)
        # CHANGE_VNFPKG reports its changes in
        # modificationsTriggeredByVnfPkgChange, not changedInfo.
        self.assertNotIn('changedInfo', body)
        mods = body['modificationsTriggeredByVnfPkgChange']
        self.assertEqual('vnfd-2', mods['vnfdId'])
        self.assertNotIn('vnfInstanceName', mods)
        self.assertEqual('admin', mods['vimConnectionInfo']['vim1'][
            'accessInfo']['username'])
        self.assertNotIn(VIM_PASSWORD, str(body))
        self.assertEqual('ext-vl-1', body['changedExtConnectivity'][0]['id'])
        self.assertNotIn('error', body)

    def test_result_full_other_operation_has_changed_info(self):
        inst = make_inst()
        lcmocc = with_results(make_lcmocc(inst, 'COMPLETED',
                                          operation='INSTANTIATE'))
        body = self.body(lcmocc)
        self.assertEqual('renamed', body['changedInfo']['vnfInstanceName'])
        self.assertNotIn('modificationsTriggeredByVnfPkgChange', body)
        self.assertNotIn(VIM_PASSWORD, str(body))

    def test_result_short(self):
        inst = make_inst()
        lcmocc = with_results(make_lcmocc(inst, 'COMPLETED'))
        body = self.body(lcmocc, verbosity='SHORT')
        self.assertEqual('RESULT', body['notificationStatus'])
        self.assertEqual('SHORT', body['verbosity'])
        for key in ('affectedVnfcs', 'changedInfo', 'changedExtConnectivity',
                    'modificationsTriggeredByVnfPkgChange', 'error'):
            self.assertNotIn(key, body)

    def test_error_in_failed_states(self):
        inst = make_inst()
        for state in ('FAILED_TEMP', 'FAILED', 'ROLLED_BACK'):
            for verbosity in ('FULL', 'SHORT'):
                lcmocc = make_lcmocc(inst, state, error=objects.ProblemDetails(
                    status=500, title='Internal Server Error',
                    detail='step x failed'))
                body = self.body(lcmocc, verbosity)
                self.assertEqual('RESULT', body['notificationStatus'])
                self.assertEqual('step x failed', body['error']['detail'])

    def test_base_url_without_public_endpoint(self):
        self.conf.config(public_endpoint=None, bind_host='127.0.0.1',
                         bind_port=9999)
        self.assertEqual('http://127.0.0.1:9999', notification.base_url())
        self.conf.config(bind_host='::1')
        self.assertEqual('http://[::1]:9999', notification.base_url())


class FilterTest(base.TestCase):
    LCMOCC = 'VnfLcmOperationOccurrenceNotification'
    CREATION = 'VnfIdentifierCreationNotification'

    def setUp(self):
        super().setUp()
        self.inst = make_inst()
        self.lcmocc = make_lcmocc(self.inst, 'COMPLETED')

    def match(self, subsc_filter, notification_type=LCMOCC):
        lcmocc = self.lcmocc if notification_type == self.LCMOCC else None
        return subscription_filter.matches(subsc_filter, notification_type,
                                           self.inst, lcmocc)

    def inst_match(self, inst_filter):
        return self.match({'vnfInstanceSubscriptionFilter': inst_filter})

    def test_no_filter_matches_everything(self):
        self.assertTrue(self.match(None))
        self.assertTrue(self.match({}))
        self.assertTrue(self.match(None, self.CREATION))

    def test_notification_types(self):
        self.assertTrue(self.match({'notificationTypes': [self.LCMOCC]}))
        self.assertFalse(self.match({'notificationTypes': [self.CREATION]}))
        self.assertTrue(self.match({'notificationTypes': [self.CREATION]},
                                   self.CREATION))

    def test_operation_types(self):
        self.assertTrue(self.match({'operationTypes': ['INSTANTIATE',
                                                       'CHANGE_VNFPKG']}))
        self.assertFalse(self.match({'operationTypes': ['INSTANTIATE']}))
        # They concern the operation notifications only.
        self.assertTrue(self.match({'operationTypes': ['INSTANTIATE']},
                                   self.CREATION))

    def test_operation_states(self):
        self.assertTrue(self.match({'operationStates': ['COMPLETED']}))
        self.assertFalse(self.match({'operationStates': ['STARTING',
                                                         'FAILED_TEMP']}))

    def test_vnfd_ids(self):
        self.assertTrue(self.inst_match({'vnfdIds': ['x', 'vnfd-1']}))
        self.assertFalse(self.inst_match({'vnfdIds': ['x']}))

    def test_instance_ids_and_names(self):
        self.assertTrue(self.inst_match({'vnfInstanceIds': [self.inst.id]}))
        self.assertFalse(self.inst_match({'vnfInstanceIds': ['other']}))
        self.assertTrue(self.inst_match({'vnfInstanceNames': ['vnf-a']}))
        self.assertFalse(self.inst_match({'vnfInstanceNames': ['vnf-b']}))
        self.inst.vnfInstanceName = None
        self.assertFalse(self.inst_match({'vnfInstanceNames': ['vnf-a']}))

    def test_products_from_providers(self):
        def products(*entries):
            return {'vnfProductsFromProviders': list(entries)}

        self.assertTrue(self.inst_match(products({'vnfProvider': 'Company'})))
        self.assertFalse(self.inst_match(products({'vnfProvider': 'Other'})))
        self.assertTrue(self.inst_match(products(
            {'vnfProvider': 'Other'},
            {'vnfProvider': 'Company', 'vnfProducts': [
                {'vnfProductName': 'Nope'},
                {'vnfProductName': 'Sample VNF'}]})))
        self.assertFalse(self.inst_match(products(
            {'vnfProvider': 'Company', 'vnfProducts': [
                {'vnfProductName': 'Nope'}]})))
        self.assertTrue(self.inst_match(products(
            {'vnfProvider': 'Company', 'vnfProducts': [
                {'vnfProductName': 'Sample VNF', 'versions': [
                    {'vnfSoftwareVersion': '1.0',
                     'vnfdVersions': ['1.0', '1.1']}]}]})))
        self.assertFalse(self.inst_match(products(
            {'vnfProvider': 'Company', 'vnfProducts': [
                {'vnfProductName': 'Sample VNF', 'versions': [
                    {'vnfSoftwareVersion': '1.0',
                     'vnfdVersions': ['1.0']}]}]})))
        self.assertFalse(self.inst_match(products(
            {'vnfProvider': 'Company', 'vnfProducts': [
                {'vnfProductName': 'Sample VNF', 'versions': [
                    {'vnfSoftwareVersion': '2.0'}]}]})))

    def test_all_attributes_must_match(self):
        self.assertFalse(self.match({
            'notificationTypes': [self.LCMOCC],
            'operationStates': ['COMPLETED'],
            'vnfInstanceSubscriptionFilter': {'vnfdIds': ['x']}}))


class DeliveryTest(NotificationTestBase):

    def receiver(self, **kwargs):
        return self.useFixture(nr.Receiver(**kwargs))

    def test_matching_subscribers_receive_the_notification(self):
        wanted = self.receiver()
        unwanted = self.receiver()
        short = self.receiver()
        inst = make_inst()
        first = self.subscribe(wanted.uri(), {
            'operationStates': ['COMPLETED'],
            'vnfInstanceSubscriptionFilter': {'vnfdIds': ['vnfd-1']}})
        self.subscribe(unwanted.uri(), {
            'vnfInstanceSubscriptionFilter': {'vnfdIds': ['vnfd-9']}})
        second = self.subscribe(short.uri(), verbosity='SHORT')
        lcmocc = with_results(make_lcmocc(inst, 'COMPLETED'))
        self.notify_and_wait(lcmocc, inst)

        self.assertEqual([], unwanted.posts())
        [post] = wanted.posts()
        self.assertEqual('/callback', post['path'])
        self.assertEqual('application/json', post['headers']['Content-Type'])
        self.assertEqual('2.0.0', post['headers']['Version'])
        [body] = wanted.bodies()
        etsi_openapi.check_notification(body)
        self.assertEqual(first.id, body['subscriptionId'])
        self.assertEqual('RESULT', body['notificationStatus'])
        self.assertIn('affectedVnfcs', body)
        [short_body] = short.bodies()
        self.assertEqual(second.id, short_body['subscriptionId'])
        self.assertNotIn('affectedVnfcs', short_body)
        # One event, one notification id for every subscriber.
        self.assertEqual(body['id'], short_body['id'])

    def test_identifier_notifications(self):
        receiver = self.receiver()
        inst = make_inst()
        self.subscribe(receiver.uri(), {'notificationTypes': [
            'VnfIdentifierDeletionNotification']})
        for kind in ('VnfIdentifierCreationNotification',
                     'VnfIdentifierDeletionNotification'):
            notification.notify_vnf_identifier(self.context, inst, kind)
        self.assertTrue(notification.wait_idle(20))
        [body] = receiver.bodies()
        etsi_openapi.check_notification(body)
        self.assertEqual('VnfIdentifierDeletionNotification',
                         body['notificationType'])
        self.assertEqual(inst.id, body['vnfInstanceId'])
        self.assertEqual('%s/vnflcm/v2/vnf_instances/%s' % (
            ENDPOINT, inst.id), body['_links']['vnfInstance']['href'])
        self.assertNotIn('vnfLcmOpOcc', body['_links'])

    def test_basic_credentials_are_sent(self):
        receiver = self.receiver()
        inst = make_inst()
        self.subscribe(receiver.uri(), authentication={
            'authType': ['BASIC'],
            'paramsBasic': {'userName': 'nfvo', 'password': PASSWORD}})
        self.notify_and_wait(make_lcmocc(inst), inst)
        [post] = receiver.posts()
        self.assertEqual(['nfvo', PASSWORD], nr.basic_credentials(post))
        self.assertNotIn(PASSWORD, post['raw'].decode())

    def test_oauth2_token_is_fetched_once_and_reused(self):
        receiver = self.receiver()
        inst = make_inst()
        self.subscribe(receiver.uri(), authentication={
            'authType': ['OAUTH2_CLIENT_CREDENTIALS'],
            'paramsOauth2ClientCredentials': {
                'clientId': 'nfvo', 'clientPassword': PASSWORD,
                'tokenEndpoint': receiver.uri(nr.TOKEN_PATH)}})
        self.notify_and_wait(make_lcmocc(inst), inst)
        self.notify_and_wait(make_lcmocc(inst, 'COMPLETED'), inst)
        self.assertEqual(1, len(receiver.token_requests))
        self.assertEqual(['nfvo', PASSWORD],
                         nr.basic_credentials(receiver.token_requests[0]))
        self.assertEqual(['Bearer token-1'] * 2,
                         [p['headers']['Authorization']
                          for p in receiver.posts()])

    def test_retry_after_a_failure(self):
        receiver = self.receiver(post_statuses=[500])
        inst = make_inst()
        self.subscribe(receiver.uri())
        self.notify_and_wait(make_lcmocc(inst), inst)
        bodies = receiver.bodies()
        self.assertEqual(2, len(bodies))
        self.assertEqual(bodies[0], bodies[1])

    def test_give_up_after_max_attempts(self):
        logs = self.useFixture(fixtures.FakeLogger(level='DEBUG'))
        receiver = self.receiver(post_default=500)
        inst = make_inst()
        self.subscribe(receiver.uri(), authentication={
            'authType': ['BASIC'],
            'paramsBasic': {'userName': 'nfvo', 'password': PASSWORD}})
        self.notify_and_wait(make_lcmocc(inst), inst)
        self.assertEqual(3, len(receiver.posts()))
        self.assertIn('Giving up', logs.output)
        self.assertIn('500', logs.output)
        self.assertNotIn(PASSWORD, logs.output)

    def test_unreachable_receiver_is_given_up(self):
        logs = self.useFixture(fixtures.FakeLogger(level='DEBUG'))
        inst = make_inst()
        uri = nr.unreachable_uri().replace('http://',
                                           'http://nfvo:%s@' % PASSWORD)
        self.subscribe(uri)
        self.notify_and_wait(make_lcmocc(inst), inst)
        self.assertIn('Giving up', logs.output)
        self.assertNotIn(PASSWORD, logs.output)

    def test_hanging_receiver_blocks_neither_caller_nor_queue(self):
        self.conf.config(timeout=0.3, max_attempts=1, group='notification')
        hanging = self.receiver(hang=True)
        inst = make_inst()
        self.subscribe(hanging.uri())
        notification.notify_lcmocc(self.context, make_lcmocc(inst), inst)
        # The receiver holds the request and never answers until the test
        # ends: notify_lcmocc has returned while delivery is still open.
        self.assertTrue(hanging.wait_for(1))
        self.assertEqual(0, hanging.answered)
        # The read timeout ends the attempt; the queue empties although
        # the receiver still has not answered.
        self.assertTrue(notification.wait_idle(20))
        self.assertEqual(0, hanging.answered)

    def test_notify_never_raises(self):
        logs = self.useFixture(fixtures.FakeLogger(level='DEBUG'))
        inst = make_inst()
        notification.notify_vnf_identifier(self.context, inst, 'Bogus')
        self.assertIn('could not be queued', logs.output)
        # A broken database is logged, not raised into the LCM frame.
        with db_api.get_engine().begin() as conn:
            conn.execute(sa.text('DROP TABLE lccn_subscriptions'))
        lcmocc = make_lcmocc(inst)
        notification.notify_lcmocc(self.context, lcmocc, inst)
        self.assertIn(lcmocc.id, logs.output)
