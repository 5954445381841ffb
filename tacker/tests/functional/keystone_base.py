"""tacker-server with ``auth_strategy = keystone`` against a real Keystone."""
import testtools

from tacker.tests.fixtures import keystone
from tacker.tests.functional import service


class KeystoneServiceTestCase(testtools.TestCase):
    """The Keystone fixture, and a server whose authtoken points at it.

    ``self.keystone`` and ``self.service``; the server's logs are attached
    to a test that fails.
    """

    def setUp(self):
        super().setUp()
        self.keystone = self.useFixture(keystone.KeystoneFixture())
        options = {('DEFAULT', 'auth_strategy'): 'keystone'}
        for key, value in self.keystone.authtoken_settings().items():
            options[('keystone_authtoken', key)] = value
        self.service = self.useFixture(service.TackerService(
            options=options))
        self.addOnException(lambda exc_info: self.addDetail(
            'service-logs', testtools.content.text_content(
                self.service.logs())))
