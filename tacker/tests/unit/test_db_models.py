"""Objects through rows on SQLite, MariaDB and PostgreSQL."""
import copy
import datetime
import threading

from oslo_db import exception as db_exc
import sqlalchemy as sa

from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored.db import models
from tacker.sol_refactored import objects
from tacker.tests import db_backends
from tacker.tests.unit import test_objects as samples

CREATED = '2024-05-01T10:20:30Z'


class DbTestCase(db_backends.BackendTestCase):

    def setUp(self):
        super().setUp()
        self.context = sol_context.Context.admin()

    def create(self, obj):
        with db_api.writer(sol_context.Context.admin()) as session:
            obj.create(session)
        return obj

    def get(self, cls, obj_id):
        return cls.get_by_id(sol_context.Context.admin(), obj_id)

    def assertRoundTrip(self, cls, body, **db_only):
        obj = cls.from_dict(copy.deepcopy(body))
        for key, value in db_only.items():
            setattr(obj, key, value)
        self.create(obj)
        got = self.get(cls, obj.id)
        self.assertEqual(body, got.to_dict())
        for key, value in db_only.items():
            self.assertEqual(getattr(obj, key), getattr(got, key), key)
        return got


class TestRoundTrip(DbTestCase):

    def test_vnf_instance(self):
        got = self.assertRoundTrip(objects.VnfInstance,
                                   samples.vnf_instance_body(),
                                   createdAt=CREATED, busyLcmOpOccId='op')
        self.assertEqual(CREATED,
                         objects.fields._DateTime.to_api(got.createdAt))
        vnfc = got.instantiatedVnfInfo.vnfcResourceInfo[0]
        self.assertIsInstance(vnfc.computeResource, objects.ResourceHandle)

    def test_vnf_lcm_op_occ(self):
        got = self.assertRoundTrip(objects.VnfLcmOpOcc,
                                   samples.lcm_op_occ_body(),
                                   stepRecord={'done': ['a', 'b']},
                                   ownerConductorId='cond-1',
                                   requestId='req-1')
        self.assertEqual(409, got.error.status)
        self.assertEqual('2024-05-01T10:20:30Z',
                         got.to_dict()['startTime'])

    def test_subscription(self):
        auth = {'authType': ['BASIC'],
                'paramsBasic': {'userName': 'u', 'password': 'pw'}}
        self.assertRoundTrip(objects.LccnSubscription,
                             samples.subscription_body(),
                             authentication=auth, createdAt=CREATED)

    def test_vnf_package(self):
        body = dict(samples.vnf_package_body(),
                    onboardingFailureDetails={'status': 422, 'detail': 'ü'},
                    signingCertificate='-----BEGIN CERTIFICATE-----\n')
        self.assertRoundTrip(objects.VnfPkgInfo, body,
                             vnfdSummary={'flavours': ['simple']},
                             createdAt=CREATED)

    def test_datetime_given_with_an_offset_comes_back_in_utc(self):
        body = samples.lcm_op_occ_body()
        body['startTime'] = '2024-05-01T19:20:30.999+09:00'
        occ = self.create(objects.VnfLcmOpOcc.from_dict(body))
        got = self.get(objects.VnfLcmOpOcc, occ.id)
        self.assertEqual('2024-05-01T10:20:30Z', got.to_dict()['startTime'])
        self.assertEqual(datetime.timedelta(0), got.startTime.utcoffset())
        with db_api.get_engine().connect() as conn:
            raw = conn.execute(sa.select(models.VnfLcmOpOcc.startTime)).one()
        self.assertEqual(datetime.datetime(2024, 5, 1, 10, 20, 30), raw[0])

    def test_not_found_and_delete(self):
        self.assertIsNone(self.get(objects.VnfInstance, 'missing'))
        inst = self.create(objects.VnfInstance.from_dict(dict(
            samples.vnf_instance_body(), createdAt=CREATED)))
        with db_api.writer(self.context) as session:
            inst.delete(session)
        self.assertIsNone(self.get(objects.VnfInstance, inst.id))

    def test_get_all_in_creation_order(self):
        ids = []
        for num in range(3):
            body = dict(samples.vnf_instance_body(), id='inst-%d' % (9 - num),
                        createdAt='2024-05-01T10:20:3%dZ' % num)
            ids.append(self.create(objects.VnfInstance.from_dict(body)).id)
        self.create(objects.VnfInstance.from_dict(dict(
            samples.vnf_instance_body(), id='other', vnfdId='x',
            createdAt=CREATED)))
        got = objects.VnfInstance.get_all(
            self.context, vnfdId=samples.vnf_instance_body()['vnfdId'])
        self.assertEqual(ids, [i.id for i in got])


class TestUpdate(DbTestCase):

    def setUp(self):
        super().setUp()
        self.inst = self.create(objects.VnfInstance.from_dict(dict(
            samples.vnf_instance_body(), createdAt=CREATED)))

    def test_changed_attributes_are_written(self):
        inst = self.get(objects.VnfInstance, self.inst.id)
        inst.vnfdId = 'new-vnfd'
        inst.instantiatedVnfInfo.vnfcResourceInfo[0].computeResource \
            .resourceId = 'server-2'
        inst.instantiatedVnfInfo = inst.instantiatedVnfInfo
        with db_api.writer(self.context) as session:
            self.assertTrue(inst.update(session))
        got = self.get(objects.VnfInstance, inst.id)
        self.assertEqual('new-vnfd', got.vnfdId)
        self.assertEqual('server-2', got.instantiatedVnfInfo
                         .vnfcResourceInfo[0].computeResource.resourceId)
        self.assertEqual(inst.to_dict(), got.to_dict())

    def test_expect_not_holding_writes_nothing(self):
        inst = self.get(objects.VnfInstance, self.inst.id)
        inst.vnfdId = 'new-vnfd'
        with db_api.writer(self.context) as session:
            self.assertFalse(inst.update(
                session, expect={'busyLcmOpOccId': 'someone-else'}))
        self.assertEqual(self.inst.vnfdId,
                         self.get(objects.VnfInstance, inst.id).vnfdId)
        # The object still knows what it wanted to write.
        self.assertIn('vnfdId', inst.obj_what_changed())

    def test_update_without_changes_checks_expect(self):
        inst = self.get(objects.VnfInstance, self.inst.id)
        with db_api.writer(self.context) as session:
            self.assertTrue(inst.update(
                session, expect={'busyLcmOpOccId': None}))
            self.assertFalse(inst.update(
                session, expect={'busyLcmOpOccId': 'op-x'}))
        self.assertEqual(self.inst.to_dict(),
                         self.get(objects.VnfInstance, inst.id).to_dict())

    def test_free_instance_reads_as_not_busy(self):
        self.assertIsNone(self.get(objects.VnfInstance,
                                   self.inst.id).busyLcmOpOccId)

    def test_missing_row(self):
        inst = objects.VnfInstance(id='missing', vnfdId='x')
        with db_api.writer(self.context) as session:
            self.assertFalse(inst.update(session))

    def claim(self, session, op_id):
        inst = objects.VnfInstance.get_by_id(None, self.inst.id,
                                             session=session)
        inst.busyLcmOpOccId = op_id
        return inst.update(session, expect={'busyLcmOpOccId': None})

    def test_two_sessions_only_one_claims(self):
        # B (another server, say) has read the instance and found it free.
        with db_api.reader(sol_context.Context.admin()) as session_b:
            seen_by_b = objects.VnfInstance.get_by_id(
                None, self.inst.id, session=session_b)
        self.assertIsNone(seen_by_b.busyLcmOpOccId)
        # A claims it and commits.
        with db_api.writer(sol_context.Context.admin()) as session_a:
            self.assertTrue(self.claim(session_a, 'op-a'))
        # B's claim, on what it read, must fail and write nothing.
        seen_by_b.busyLcmOpOccId = 'op-b'
        seen_by_b.vnfInstanceName = 'changed by b'
        with db_api.writer(sol_context.Context.admin()) as session_b:
            self.assertFalse(seen_by_b.update(
                session_b, expect={'busyLcmOpOccId': None}))
        got = self.get(objects.VnfInstance, self.inst.id)
        self.assertEqual('op-a', got.busyLcmOpOccId)
        self.assertEqual(self.inst.vnfInstanceName, got.vnfInstanceName)

    def test_concurrent_claims_while_first_is_uncommitted(self):
        results = {}
        a_claimed = threading.Event()
        b_started = threading.Event()

        def claim_b():
            b_started.set()
            with db_api.writer(sol_context.Context.admin()) as session:
                results['b'] = self.claim(session, 'op-b')

        thread = threading.Thread(target=claim_b)
        with db_api.writer(sol_context.Context.admin()) as session_a:
            results['a'] = self.claim(session_a, 'op-a')
            a_claimed.set()
            thread.start()
            b_started.wait()
            # A commits on leaving the block, B's UPDATE (waiting for A's
            # row lock or run afterwards) must then find the row taken.
        thread.join()
        self.assertEqual({'a': True, 'b': False}, results)
        self.assertEqual('op-a', self.get(objects.VnfInstance,
                                          self.inst.id).busyLcmOpOccId)


class TestConstraintsAndSizes(DbTestCase):

    def package(self, pkg_id, vnfd_id):
        return objects.VnfPkgInfo.from_dict(dict(
            samples.vnf_package_body(), id=pkg_id, vnfdId=vnfd_id,
            createdAt=CREATED))

    def test_duplicate_vnfd_id(self):
        self.create(self.package('pkg-1', 'vnfd-1'))
        self.assertRaises(db_exc.DBDuplicateEntry, self.create,
                          self.package('pkg-2', 'vnfd-1'))
        self.create(self.package('pkg-3', 'vnfd-2'))
        # Packages not yet on-boarded have no vnfdId; several may wait.
        self.create(self.package('pkg-4', None))
        self.create(self.package('pkg-5', None))
        ids = [p.id for p in objects.VnfPkgInfo.get_all(self.context)]
        self.assertEqual(['pkg-1', 'pkg-3', 'pkg-4', 'pkg-5'], sorted(ids))

    def test_duplicate_id(self):
        self.create(self.package('pkg-1', 'vnfd-1'))
        self.assertRaises(db_exc.DBDuplicateEntry, self.create,
                          self.package('pkg-1', 'vnfd-2'))

    def test_non_ascii_text(self):
        text = 'ü é 日本語 ✓ 🚀 \u0000end'
        body = dict(samples.vnf_instance_body(), createdAt=CREATED,
                    vnfInstanceDescription='説明 🚀',
                    metadata={'text': text, 'キー': ['值', '🚀']})
        inst = self.create(objects.VnfInstance.from_dict(body))
        got = self.get(objects.VnfInstance, inst.id)
        self.assertEqual(text, got.metadata['text'])
        self.assertEqual(['值', '🚀'], got.metadata['キー'])
        self.assertEqual('説明 🚀', got.vnfInstanceDescription)

    def test_large_json_document(self):
        blob = 'x' * (1024 * 1024)
        vnfcs = [{'id': 'vnfc-%d' % n, 'vduId': 'VDU1',
                  'computeResource': {'resourceId': 'server-%d' % n},
                  'metadata': {'note': 'ü' * 100}} for n in range(2000)]
        body = samples.vnf_instance_body()
        body['instantiatedVnfInfo']['vnfcResourceInfo'] = vnfcs
        body['metadata'] = {'blob': blob}
        inst = self.create(objects.VnfInstance.from_dict(
            dict(body, createdAt=CREATED)))
        got = self.get(objects.VnfInstance, inst.id)
        self.assertEqual(blob, got.metadata['blob'])
        self.assertEqual(body, got.to_dict())
