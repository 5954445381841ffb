"""The tree's one rule for secrets, and request validation without values."""
import jsonschema
import testtools

from tacker.sol_refactored.api import bounded_input
from tacker.sol_refactored.api import validator
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import redact
from tacker.sol_refactored.objects import vnf_instance
from tacker.tests import base


class TestSecretKeys(testtools.TestCase):

    def test_the_documented_list(self):
        for key in ('password', 'Password', 'PASSWORD', 'passwd',
                    'vim-password', 'clientPassword', 'ssh_passphrase',
                    'secret', 'client_secret', 'clientSecret', 'token',
                    'bearer_token', 'authToken', 'private_key',
                    'privateKey', 'client_key', 'api_key',
                    'ssl_ca_cert_key', 'paramsBasic',
                    'paramsOauth2ClientCredentials'):
            self.assertTrue(redact.is_secret_key(key), key)

    def test_what_is_not_a_secret(self):
        for key in ('username', 'project', 'tokenEndpoint', 'ssl_ca_cert',
                    'client_cert', 'endpoint', 'vnfdId', 'keys', 1, None):
            self.assertFalse(redact.is_secret_key(key), key)

    def test_mask_dict_anywhere_and_any_case(self):
        shown = redact.mask_dict({'a': [{'Password': 'p1', 'user': 'u'}],
                                  'passwd': 'p2', 'empty_token': ''})
        self.assertEqual({'a': [{'Password': '***', 'user': 'u'}],
                          'passwd': '***', 'empty_token': ''}, shown)

    def test_short_secrets_do_not_garble_text(self):
        secrets = redact.collect_secrets({'token': 'x',
                                          'Password': 'hunter2-long'})
        self.assertEqual({'x', 'hunter2-long'}, secrets)
        self.assertEqual('nginx failed for ***',
                         redact.mask_text('nginx failed for hunter2-long',
                                          secrets))

    def test_nested_credential_blocks_are_collected(self):
        auth = {'paramsOauth2ClientCredentials': {
            'clientId': 'tacker', 'clientPassword': 'cp-12345678',
            'tokenEndpoint': 'https://idp.example/token'}}
        self.assertIn('cp-12345678', redact.collect_secrets(auth))
        self.assertEqual({'paramsOauth2ClientCredentials': '***'},
                         redact.mask_dict(auth))

    def test_access_info_shown_without_any_secret(self):
        shown = vnf_instance.redact_access_info({'vim1': {
            'vimType': 'x', 'accessInfo': {
                'username': 'nfv', 'Password': 'a', 'passwd': 'b',
                'bearer_token': 'c', 'client_key': 'd'}}})
        self.assertEqual({'username': 'nfv'}, shown['vim1']['accessInfo'])


class TestValidationNamesTheRule(testtools.TestCase):
    SCHEMA = {'type': 'object', 'required': ['name'], 'properties': {
        'name': {'type': 'string', 'maxLength': 8},
        'kind': {'enum': ['a', 'b']},
        'count': {'type': 'integer', 'minimum': 1},
        'accessInfo': {'type': 'object'},
        'id': {'type': 'string', 'pattern': '^[a-z]+$'}},
        'additionalProperties': False}

    def detail(self, body):
        return self.assertRaises(sol_ex.SchemaValidationError,
                                 validator.validate, self.SCHEMA,
                                 body).detail

    def test_rules_without_values(self):
        secret = 'S3cr3t-' + 'v' * 100
        cases = [({'name': secret}, 'name: must be at most 8 characters'),
                 ({'name': 'n', 'kind': secret}, 'kind: must be one of a, b'),
                 ({'name': 'n', 'count': 0}, 'count: must be at least 1'),
                 ({'name': 'n', 'accessInfo': secret},
                  'accessInfo: must be of type object'),
                 ({'name': 'n', 'id': secret},
                  'id: must match the pattern ^[a-z]+$'),
                 ({'name': 5}, 'name: must be of type string')]
        for body, wanted in cases:
            detail = self.detail(body)
            self.assertIn(wanted, detail)
            self.assertNotIn('S3cr3t', detail)

    def test_names_of_keys_may_be_given(self):
        self.assertIn("'name' is a required property", self.detail({}))
        self.assertIn('was unexpected', self.detail({'name': 'n',
                                                     'other': 1}))

    def test_every_rule_of_our_schemas_is_described(self):
        # A rule without a description would say "does not satisfy the
        # schema rule X", which is still value-free.
        error = jsonschema.ValidationError(
            'x', validator='not', validator_value={}, path=['a'])
        self.assertEqual('a: does not satisfy the schema rule not',
                         validator.describe(error))


class TestStructure(base.TestCase):

    def test_depth_and_nul(self):
        self.conf.config(max_json_depth=4)
        bounded_input.check_structure({'a': [[{'b': 1}]]})
        e = self.assertRaises(sol_ex.BadRequest,
                              bounded_input.check_structure,
                              {'a': [[{'b': [1]}]]})
        self.assertIn('deeper than 4 levels (at a/0/0/b)', e.detail)
        e = self.assertRaises(sol_ex.BadRequest,
                              bounded_input.check_structure,
                              {'a': ['ok', 'n\x00'], 'b': 'x'})
        self.assertIn('a/1 holds a NUL character', e.detail)

    def test_echo_is_short(self):
        self.assertEqual('abc', bounded_input.echo('abc'))
        long = bounded_input.echo('y' * 100000)
        self.assertLess(len(long), 100)
        self.assertIn('(100000 characters)', long)
