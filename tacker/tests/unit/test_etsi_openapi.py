"""The ETSI OpenAPI conformance checker catches what it should."""
import copy
import os
import unittest
import uuid

import fixtures
import testtools

from tacker.tests import etsi_openapi

HOST = 'http://127.0.0.1:9890'
LCM = '/vnflcm/v2'
JSON = 'application/json'
PROBLEM = 'application/problem+json'
VERSION = '2.0.0'


def vnf_instance(inst_id):
    return {
        'id': inst_id,
        'vnfdId': str(uuid.uuid4()),
        'vnfProvider': 'Company',
        'vnfProductName': 'Sample VNF',
        'vnfSoftwareVersion': '1.0',
        'vnfdVersion': '1.0',
        'instantiationState': 'NOT_INSTANTIATED',
        '_links': {'self': {
            'href': '%s%s/vnf_instances/%s' % (HOST, LCM, inst_id)}},
    }


def op_occ(state='PROCESSING'):
    occ_id = str(uuid.uuid4())
    inst_id = str(uuid.uuid4())
    return {
        'id': occ_id,
        'operationState': state,
        'stateEnteredTime': '2024-05-01T10:00:00Z',
        'startTime': '2024-05-01T10:00:00Z',
        'vnfInstanceId': inst_id,
        'operation': 'CHANGE_VNFPKG',
        'isAutomaticInvocation': False,
        'isCancelPending': False,
        '_links': {
            'self': {'href': '%s%s/vnf_lcm_op_occs/%s' % (HOST, LCM,
                                                          occ_id)},
            'vnfInstance': {'href': '%s%s/vnf_instances/%s' % (
                HOST, LCM, inst_id)},
        },
    }


def headers(content_type=JSON, **extra):
    answer = {'Version': VERSION}
    if content_type:
        answer['Content-Type'] = content_type
    answer.update(extra)
    return answer


class EtsiCheckerTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        # Skips, with the reason, where the ETSI files are absent.
        etsi_openapi.get_spec()
        self.inst_id = str(uuid.uuid4())
        self.inst_path = '%s/vnf_instances/%s' % (LCM, self.inst_id)

    def assert_violation(self, fragment, method, path, status, hdrs, body):
        error = self.assertRaises(AssertionError,
                                  etsi_openapi.check_response,
                                  method, path, status, hdrs, body)
        self.assertIn(fragment, str(error))
        return str(error)


class TestResponses(EtsiCheckerTest):

    def test_conforming_vnf_instance_passes(self):
        etsi_openapi.check_response('GET', self.inst_path, 200,
                                    headers(), vnf_instance(self.inst_id))

    def test_created_instance_with_location_passes(self):
        etsi_openapi.check_response(
            'POST', LCM + '/vnf_instances', 201,
            headers(Location=HOST + self.inst_path),
            vnf_instance(self.inst_id))

    def test_headers_are_case_insensitive(self):
        etsi_openapi.check_response(
            'GET', self.inst_path, 200,
            [('content-type', 'application/json; charset=UTF-8'),
             ('version', VERSION)],
            vnf_instance(self.inst_id))

    def test_missing_required_attribute_is_named(self):
        body = vnf_instance(self.inst_id)
        del body['vnfdId']
        self.assert_violation("'vnfdId' is a required property",
                              'GET', self.inst_path, 200, headers(), body)

    def test_wrong_type_is_named_with_its_location(self):
        body = vnf_instance(self.inst_id)
        body['instantiationState'] = 7
        message = self.assert_violation(
            'body/instantiationState', 'GET', self.inst_path, 200,
            headers(), body)
        self.assertIn('7', message)

    def test_wrong_enum_value(self):
        body = vnf_instance(self.inst_id)
        body['instantiationState'] = 'STARTED'
        self.assert_violation("'STARTED' is not one of", 'GET',
                              self.inst_path, 200, headers(), body)

    def test_wrong_status_code(self):
        self.assert_violation(
            'status 200 is neither declared', 'POST',
            LCM + '/vnf_instances', 200, headers(),
            vnf_instance(self.inst_id))

    def test_missing_location_on_202(self):
        message = self.assert_violation(
            'header Location is missing', 'POST',
            self.inst_path + '/change_vnfpkg', 202, headers(None), None)
        self.assertNotIn('Version', message)

    def test_202_with_location_passes(self):
        etsi_openapi.check_response(
            'POST', self.inst_path + '/change_vnfpkg', 202,
            headers(None, Location=HOST + LCM + '/vnf_lcm_op_occs/x'),
            None)

    def test_missing_version_header(self):
        self.assert_violation('header Version is missing', 'GET',
                              self.inst_path, 200,
                              {'Content-Type': JSON},
                              vnf_instance(self.inst_id))

    def test_body_where_none_is_declared(self):
        self.assert_violation(
            'a body where the API declares none', 'DELETE',
            self.inst_path, 204, headers(None), {'id': self.inst_id})

    def test_wrong_success_content_type(self):
        self.assert_violation(
            'Content-Type text/plain is not one of application/json',
            'GET', self.inst_path, 200, headers('text/plain'),
            vnf_instance(self.inst_id))

    def test_every_violation_is_listed(self):
        body = vnf_instance(self.inst_id)
        del body['vnfProvider']
        message = self.assert_violation(
            "'vnfProvider' is a required property", 'GET', self.inst_path,
            200, {'Content-Type': JSON}, body)
        self.assertIn('header Version is missing', message)


class TestErrors(EtsiCheckerTest):

    def problem(self, status=404):
        return {'status': status, 'detail': 'no such VNF instance'}

    def test_problem_details_passes(self):
        etsi_openapi.check_response('GET', self.inst_path, 404,
                                    headers(PROBLEM), self.problem())

    def test_error_with_plain_json_content_type_fails(self):
        self.assert_violation('not application/problem+json', 'GET',
                              self.inst_path, 404, headers(JSON),
                              self.problem())

    def test_error_body_is_checked_against_problem_details(self):
        self.assert_violation("'detail' is a required property", 'GET',
                              self.inst_path, 404, headers(PROBLEM),
                              {'status': 404})

    def test_common_error_code_not_listed_is_allowed(self):
        # The file lists no 422 for change_vnfpkg; SOL013 allows it.
        etsi_openapi.check_response(
            'POST', self.inst_path + '/change_vnfpkg', 422,
            headers(PROBLEM), self.problem(422))

    def test_uncommon_undeclared_code_fails(self):
        self.assert_violation('status 418 is neither declared', 'GET',
                              self.inst_path, 418, headers(PROBLEM),
                              self.problem(418))

    def test_unauthorized_needs_www_authenticate(self):
        self.assert_violation(
            'header WWW-Authenticate is missing', 'GET', self.inst_path,
            401, headers(PROBLEM), self.problem(401))
        etsi_openapi.check_response(
            'GET', self.inst_path, 401,
            headers(PROBLEM, **{'WWW-Authenticate': 'Keystone uri=x'}),
            self.problem(401))

    def test_unknown_method_answers_405(self):
        etsi_openapi.check_response('PUT', LCM + '/vnf_instances', 405,
                                    headers(PROBLEM), self.problem(405))
        self.assert_violation('path or method the API does not have',
                              'PUT', LCM + '/vnf_instances', 200,
                              headers(), {})


class TestRepairs(EtsiCheckerTest):

    def test_op_occ_in_progress_without_changes_passes(self):
        occ = op_occ()
        etsi_openapi.check_response(
            'GET', LCM + '/vnf_lcm_op_occs/' + occ['id'], 200, headers(),
            occ)

    def test_op_occ_with_both_change_kinds_fails(self):
        occ = op_occ('COMPLETED')
        occ['changedInfo'] = {}
        occ['modificationsTriggeredByVnfPkgChange'] = {
            'vnfdId': str(uuid.uuid4())}
        self.assert_violation(
            'has all of changedInfo, modificationsTriggeredByVnfPkgChange,'
            ' which exclude each other', 'GET',
            LCM + '/vnf_lcm_op_occs/' + occ['id'], 200, headers(), occ)

    def test_op_occ_links_are_mandatory(self):
        occ = op_occ()
        del occ['_links']
        self.assert_violation(
            "'_links' is a required property", 'GET',
            LCM + '/vnf_lcm_op_occs/' + occ['id'], 200, headers(), occ)

    def test_op_occ_list_is_an_array(self):
        etsi_openapi.check_response(
            'GET', LCM + '/vnf_lcm_op_occs?operationState=PROCESSING', 200,
            headers(), [op_occ(), op_occ('FAILED_TEMP')])
        self.assert_violation("is not of type 'array'", 'GET',
                              LCM + '/vnf_lcm_op_occs', 200, headers(),
                              op_occ())

    def test_subscription_list_is_an_array(self):
        etsi_openapi.check_response('GET', LCM + '/subscriptions', 200,
                                    headers(), [])

    def test_ip_address_choice_is_per_entry(self):
        body = vnf_instance(self.inst_id)
        body['instantiationState'] = 'INSTANTIATED'
        cp_id = str(uuid.uuid4())
        address = {'ipAddresses': [
            {'type': 'IPV4', 'addresses': ['192.0.2.4'],
             'isDynamic': True},
            {'type': 'IPV4', 'addressRange': {
                'minAddress': '192.0.2.10', 'maxAddress': '192.0.2.20'}}]}
        body['instantiatedVnfInfo'] = {
            'flavourId': 'simple', 'vnfState': 'STARTED',
            'extCpInfo': [{
                'id': cp_id, 'cpdId': 'VDU1_CP1',
                'cpConfigId': 'c1', 'associatedVnfcCpId': 'VDU1_CP1_0',
                'cpProtocolInfo': [{
                    'layerProtocol': 'IP_OVER_ETHERNET',
                    'ipOverEthernet': address}]}]}
        etsi_openapi.check_response('GET', self.inst_path, 200, headers(),
                                    body)
        both = copy.deepcopy(body)
        entry = both['instantiatedVnfInfo']['extCpInfo'][0][
            'cpProtocolInfo'][0]['ipOverEthernet']['ipAddresses'][0]
        entry['addressRange'] = {'minAddress': '192.0.2.1',
                                 'maxAddress': '192.0.2.2'}
        self.assert_violation('ipAddresses/0', 'GET', self.inst_path, 200,
                              headers(), both)

    def test_subscription_filter_alternatives_are_optional(self):
        etsi_openapi.check_request('POST', LCM + '/subscriptions', {
            'callbackUri': 'http://127.0.0.1:9999/notify',
            'filter': {'operationTypes': ['CHANGE_VNFPKG']}})
        error = self.assertRaises(
            AssertionError, etsi_openapi.check_request, 'POST',
            LCM + '/subscriptions', {
                'callbackUri': 'http://127.0.0.1:9999/notify',
                'filter': {'vnfInstanceSubscriptionFilter': {
                    'vnfInstanceIds': [self.inst_id],
                    'vnfInstanceNames': ['a']}}})
        self.assertIn('body/filter/vnfInstanceSubscriptionFilter: has all '
                      'of vnfInstanceIds, vnfInstanceNames', str(error))


class TestPackagesAndVersions(EtsiCheckerTest):

    def package(self, state='CREATED'):
        pkg_id = str(uuid.uuid4())
        base = '%s/vnfpkgm/v1/vnf_packages/%s' % (HOST, pkg_id)
        return {
            'id': pkg_id,
            'onboardingState': state,
            'operationalState': 'DISABLED',
            'usageState': 'NOT_IN_USE',
            '_links': {'self': {'href': base},
                       'packageContent': {'href': base + '/package_content'}},
        }

    def test_v1_package_paths_map_to_the_package_api(self):
        operation = etsi_openapi.get_spec().find_operation(
            'GET', '/vnfpkgm/v1/vnf_packages/x/artifacts/Scripts/a.py')
        self.assertEqual('/vnf_packages/{vnfPkgId}/artifacts/{artifactPath}',
                         operation.template)
        self.assertTrue(operation.api.endswith('VNFPackageManagement.yaml'))

    def test_package_without_vnfd_link_passes_on_v1(self):
        pkg = self.package()
        etsi_openapi.check_response(
            'POST', '/vnfpkgm/v1/vnf_packages', 201,
            headers(Location=pkg['_links']['self']['href']), pkg)
        etsi_openapi.check_response('GET', '/vnfpkgm/v1/vnf_packages', 200,
                                    headers(), [pkg])

    def test_bad_package_fails_on_v1(self):
        pkg = self.package()
        del pkg['usageState']
        self.assert_violation("'usageState' is a required property", 'GET',
                              '/vnfpkgm/v1/vnf_packages/' + pkg['id'], 200,
                              headers(), pkg)

    def test_file_answers_of_any_type_pass(self):
        answer = headers('application/zip')
        for what in ('package_content', 'vnfd', 'artifacts/Scripts/a.sh'):
            etsi_openapi.check_response(
                'GET', '/vnfpkgm/v1/vnf_packages/p/' + what, 200, answer,
                b'PK\x03\x04')
        etsi_openapi.check_response(
            'PUT', '/vnfpkgm/v1/vnf_packages/p/package_content', 202,
            headers(None), None)

    def test_api_versions(self):
        body = {'uriPrefix': '/vnflcm/v2',
                'apiVersions': [{'version': VERSION}]}
        for path in ('/vnflcm/v2/api_versions', '/vnflcm/api_versions'):
            etsi_openapi.check_response('GET', path, 200, headers(), body)
        self.assert_violation("'apiVersions' is a required property", 'GET',
                              '/vnflcm/api_versions', 200, headers(),
                              {'uriPrefix': '/vnflcm/v2'})

    def test_path_outside_our_apis(self):
        self.assert_violation('not under any API we serve', 'GET',
                              '/nslcm/v2/ns_instances', 200, headers(), [])


class TestRequestsAndNotifications(EtsiCheckerTest):

    def test_change_vnfpkg_request(self):
        path = self.inst_path + '/change_vnfpkg'
        etsi_openapi.check_request('POST', path,
                                   {'vnfdId': str(uuid.uuid4())})
        error = self.assertRaises(AssertionError,
                                  etsi_openapi.check_request, 'POST', path,
                                  {'additionalParams': {}})
        self.assertIn("'vnfdId' is a required property", str(error))

    def test_missing_required_request_body(self):
        error = self.assertRaises(AssertionError,
                                  etsi_openapi.check_request, 'POST',
                                  LCM + '/vnf_instances', None)
        self.assertIn('no body where the API requires one', str(error))

    def notification(self):
        inst_id = str(uuid.uuid4())
        return {
            'id': str(uuid.uuid4()),
            'notificationType': 'VnfIdentifierCreationNotification',
            'subscriptionId': str(uuid.uuid4()),
            'timeStamp': '2024-05-01T10:00:00Z',
            'vnfInstanceId': inst_id,
            '_links': {
                'vnfInstance': {'href': HOST + LCM + '/vnf_instances/'
                                + inst_id},
                'subscription': {'href': HOST + LCM + '/subscriptions/s'}},
        }

    def test_notification_passes(self):
        etsi_openapi.check_notification(self.notification())

    def test_notification_bad_timestamp_fails(self):
        body = self.notification()
        body['timeStamp'] = 'yesterday'
        error = self.assertRaises(AssertionError,
                                  etsi_openapi.check_notification, body)
        self.assertIn('body/timeStamp', str(error))

    def test_unknown_notification_type_fails(self):
        body = self.notification()
        body['notificationType'] = 'SomethingHappened'
        error = self.assertRaises(AssertionError,
                                  etsi_openapi.check_notification, body)
        self.assertIn("'SomethingHappened' is not one", str(error))


class TestLocation(testtools.TestCase):

    def test_skip_names_where_it_looked(self):
        empty = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable(
            etsi_openapi.ENV_VAR, empty))
        error = self.assertRaises(
            unittest.SkipTest, etsi_openapi.check_response, 'GET',
            LCM + '/vnf_instances', 200, {}, [])
        self.assertIn(os.path.realpath(empty), str(error))
        self.assertIn(etsi_openapi.ENV_VAR, str(error))

    def test_default_is_beside_the_checkout(self):
        self.useFixture(fixtures.EnvironmentVariable(etsi_openapi.ENV_VAR))
        self.assertEqual(
            os.path.join(os.path.dirname(etsi_openapi.repo_root()),
                         'shared', 'etsi'),
            etsi_openapi.etsi_dir())
