"""Secrets at rest: encrypted in the database, readable with the keys."""
import os

import sqlalchemy as sa

from tacker.sol_refactored.api import context as sol_context
from tacker.sol_refactored.common import secret_store
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored import objects
from tacker.tests import base

PASSWORD = 'vim-pa55word-at-rest'


class SecretStoreBase(base.TestCase):

    def key_file(self, *keys):
        path = os.path.join(self.state_dir, 'keys-%d' % len(
            os.listdir(self.state_dir)))
        with open(path, 'w') as f:
            f.write('# Fernet keys, first encrypts\n')
            for key in keys:
                f.write(key + '\n')
        self.conf.config(secret_key_file=path)
        return path

    def raw(self, table, column):
        with db_api.get_engine().connect() as conn:
            return conn.execute(sa.text(
                'SELECT "%s" FROM %s' % (column, table))).scalars().all()


class TestSeal(SecretStoreBase):

    def test_secrets_sealed_others_kept(self):
        self.key_file(secret_store.generate_key())
        value = {'vim1': {'accessInfo': {'username': 'nfv',
                                         'Password': PASSWORD},
                          'interfaceInfo': {'endpoint': 'https://x'}}}
        sealed = secret_store.seal(value)
        access = sealed['vim1']['accessInfo']
        self.assertEqual('nfv', access['username'])
        self.assertTrue(access['Password'].startswith('fernet:'))
        self.assertNotIn(PASSWORD, str(sealed))
        self.assertEqual(value, secret_store.unseal(sealed))
        # Sealing twice does not encrypt the token again.
        self.assertEqual(sealed, secret_store.seal(sealed))

    def test_without_a_key_file_values_stay(self):
        value = {'password': PASSWORD}
        self.assertEqual(value, secret_store.seal(value))


class TestDatabase(SecretStoreBase):

    def setUp(self):
        super().setUp()
        self.ctx = sol_context.Context.admin()

    def store_instance(self):
        inst = objects.VnfInstance(
            id='inst-1', vnfdId='vnfd-1', vnfProvider='p',
            vnfProductName='n', vnfSoftwareVersion='1', vnfdVersion='1',
            instantiationState='NOT_INSTANTIATED',
            createdAt=timeutil.utcnow(),
            vimConnectionInfo={'vim1': {
                'vimType': 'ETSINFV.OPENSTACK_KEYSTONE.V_3',
                'accessInfo': {'username': 'nfv', 'password': PASSWORD}}})
        with db_api.writer(self.ctx) as session:
            inst.create(session)

    def read_password(self):
        inst = objects.VnfInstance.get_by_id(self.ctx, 'inst-1')
        return inst.vimConnectionInfo['vim1']['accessInfo']['password']

    def test_stored_encrypted_read_in_clear(self):
        self.key_file(secret_store.generate_key())
        self.store_instance()
        [raw] = self.raw('vnf_instances', 'vimConnectionInfo')
        self.assertNotIn(PASSWORD, raw)
        self.assertIn('fernet:', raw)
        self.assertEqual(PASSWORD, self.read_password())

    def test_rotation(self):
        old, new = secret_store.generate_key(), secret_store.generate_key()
        self.key_file(old)
        self.store_instance()
        before = self.raw('vnf_instances', 'vimConnectionInfo')
        self.key_file(new, old)
        with db_api.get_engine().begin() as conn:
            self.assertEqual(1, secret_store.reseal_all(conn))
        self.assertNotEqual(before, self.raw('vnf_instances',
                                             'vimConnectionInfo'))
        # The old key can go now.
        self.key_file(new)
        self.assertEqual(PASSWORD, self.read_password())
        with db_api.get_engine().connect() as conn:
            secret_store.check(conn)

    def test_missing_or_wrong_key_is_told(self):
        self.key_file(secret_store.generate_key())
        self.store_instance()
        self.key_file(secret_store.generate_key())
        with db_api.get_engine().connect() as conn:
            e = self.assertRaises(secret_store.SealError,
                                  secret_store.check, conn)
        self.assertIn('cannot be decrypted with the keys', str(e))
        self.conf.config(secret_key_file=None)
        with db_api.get_engine().connect() as conn:
            e = self.assertRaises(secret_store.SealError,
                                  secret_store.check, conn)
        self.assertIn('secret_key_file is not set', str(e))

    def test_a_bad_key_file_is_told(self):
        path = self.key_file('not-a-key')
        e = self.assertRaises(secret_store.SealError, secret_store.seal,
                              {'password': 'x'})
        self.assertIn(path, str(e))
        self.assertIn('not a Fernet key', str(e))
        self.conf.config(secret_key_file=path + '-missing')
        self.assertRaises(secret_store.SealError, secret_store.seal,
                          {'password': 'x'})

    def test_existing_clear_rows_are_encrypted(self):
        self.store_instance()
        self.assertIn(PASSWORD, self.raw('vnf_instances',
                                         'vimConnectionInfo')[0])
        self.key_file(secret_store.generate_key())
        with db_api.get_engine().begin() as conn:
            self.assertEqual(1, secret_store.reseal_all(conn))
        self.assertNotIn(PASSWORD, self.raw('vnf_instances',
                                            'vimConnectionInfo')[0])
        self.assertEqual(PASSWORD, self.read_password())
