"""Secrets at rest through the real service: a dump of the database.

With [DEFAULT] secret_key_file set, the VIM password of an instantiate
and a subscription's Basic password are nowhere in the database file,
the operation still runs with them, and tacker-db-manage says clearly
when the key it is given does not decrypt them.
"""
import os
import subprocess
import sys

from cryptography import fernet
import fixtures

from tacker.tests.functional import base
from tacker.tests.unit import notification_receiver

KEY = fernet.Fernet.generate_key().decode()
SUB_PASSWORD = 'subscriber-pa55-at-rest'


class TestSecretsAtRest(base.FunctionalTestCase):

    def setUp(self):
        self.key_dir = self.useFixture(fixtures.TempDir()).path
        self.key_path = os.path.join(self.key_dir, 'tacker.keys')
        with open(self.key_path, 'w') as f:
            f.write(KEY + '\n')
        self.service_options = {('DEFAULT', 'secret_key_file'):
                                self.key_path}
        super().setUp()

    def db_manage(self, *args, key_path=None):
        conf = os.path.join(self.key_dir, 'db.conf')
        with open(self.service.conf_file) as f:
            text = f.read()
        if key_path:
            text = text.replace(self.key_path, key_path)
        with open(conf, 'w') as f:
            f.write(text)
        return subprocess.run(
            [sys.executable, '-m', 'tacker.sol_refactored.cmd.db_manage',
             '--config-file', conf] + list(args), capture_output=True,
            text=True, timeout=120, env=self.service.env)

    def test_nothing_in_clear_in_the_database(self):
        inst = self.create_instance()
        body = self.instantiate_body()
        password = body['vimConnectionInfo']['vim1']['accessInfo'][
            'password']
        occ_id = self.start_op(inst['id'], 'instantiate', body)
        self.client.wait_op(occ_id, ['COMPLETED'])
        receiver = self.useFixture(notification_receiver.Receiver())
        resp = self.client.request('POST', '/vnflcm/v2/subscriptions', {
            'callbackUri': receiver.uri(),
            'authentication': {'authType': ['BASIC'], 'paramsBasic': {
                'userName': 'nfvo', 'password': SUB_PASSWORD}}})
        self.assertEqual(201, resp.status_code, resp.text)

        dump = b''
        db_file = self.service.db_url[len('sqlite:///'):]
        for path in (db_file, db_file + '-wal', db_file + '-journal'):
            if os.path.exists(path):
                with open(path, 'rb') as f:
                    dump += f.read()
        self.assertNotIn(password.encode(), dump)
        self.assertNotIn(SUB_PASSWORD.encode(), dump)
        self.assertIn(b'fernet:', dump)
        # The service reads them back: a terminate runs with the password.
        occ_id = self.start_op(inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.client.wait_op(occ_id, ['COMPLETED'])

        ok = self.db_manage('check-secrets')
        self.assertEqual(0, ok.returncode, ok.stderr)
        wrong = os.path.join(self.key_dir, 'wrong.keys')
        with open(wrong, 'w') as f:
            f.write(fernet.Fernet.generate_key().decode() + '\n')
        bad = self.db_manage('check-secrets', key_path=wrong)
        self.assertNotEqual(0, bad.returncode)
        self.assertIn('cannot be decrypted with the keys', bad.stderr)
        self.assertNotIn('Traceback', bad.stderr)
