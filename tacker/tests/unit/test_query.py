"""SOL013 filters, attribute selectors and paging of list answers."""
from urllib import parse as urlparse

from oslo_config import fixture as config_fixture
from tackerclient.v1_0 import client as tacker_client
import testtools
import webob

from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import query
from tacker.sol_refactored import objects

BASE = 'http://nfvo.example:9890'
PATH = '/vnflcm/v2/vnf_instances'
DEFAULT_EXCLUDED = ('vnfConfigurableProperties', 'vimConnectionInfo',
                    'instantiatedVnfInfo', 'metadata', 'extensions')


def _instance(num, **extra):
    body = {
        'id': 'inst-%d' % num,
        'vnfInstanceName': 'vnf-%d' % num,
        'vnfdId': 'vnfd-%d' % (num % 2),
        'vnfProvider': 'Company',
        'vnfProductName': 'Sample VNF',
        'vnfSoftwareVersion': '1.0',
        'vnfdVersion': '1.0',
        'instantiationState': 'NOT_INSTANTIATED',
        'metadata': {'tier': num, 'labels': ['a%d' % num, 'shared'],
                     'enabled': num % 2 == 0},
        'vimConnectionInfo': {'vim1': {'vimType': 'kubernetes',
                                       'accessInfo': {'region': 'r1'}}},
        '_links': {'self': {'href': '%s%s/inst-%d' % (BASE, PATH, num)}},
    }
    body.update(extra)
    return body


def _instantiated(num, vdus, **extra):
    return _instance(num, instantiationState='INSTANTIATED',
                     instantiatedVnfInfo={
                         'flavourId': 'simple',
                         'vnfState': 'STARTED',
                         'extCpInfo': [{'id': 'ecp', 'cpdId': 'CP1'}],
                         'vnfcResourceInfo': [{
                             'id': 'vnfc-%d-%s' % (num, vdu),
                             'vduId': vdu,
                             'computeResource': {'resourceId': 'srv-' + vdu},
                             'storageResourceIds': ['st-%s' % vdu],
                         } for vdu in vdus],
                     }, **extra)


def _bodies():
    return [
        _instance(0, vnfInstanceDescription="it's (new), isn't it"),
        _instance(1),
        _instantiated(2, ['VDU1', 'VDU2']),
        _instantiated(3, ['VDU2']),
    ]


class QueryTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(config.CONF))
        self.conf.config(public_endpoint=BASE)

    def request(self, query_string, path=PATH):
        url = path + ('?' + query_string if query_string else '')
        return wsgi.Request(webob.Request.blank(url).environ)

    def list(self, query_string='', bodies=None, page_size=0, **kwargs):
        kwargs.setdefault('default_excluded', DEFAULT_EXCLUDED)
        kwargs.setdefault('schema', objects.VnfInstance)
        bodies = _bodies() if bodies is None else bodies
        return query.list_response(self.request(query_string), bodies,
                                   page_size, **kwargs)

    def ids(self, query_string, **kwargs):
        resp = self.list(query_string, **kwargs)
        self.assertEqual(200, resp.status)
        return [b['id'] for b in resp.body]

    def filtered(self, filter_value, **kwargs):
        return self.ids('filter=' + urlparse.quote(filter_value), **kwargs)

    def assertInvalid(self, query_string, *fragments, **kwargs):
        exc = self.assertRaises(sol_ex.InvalidQuery, self.list,
                                query_string, **kwargs)
        self.assertEqual(400, exc.status)
        for fragment in fragments:
            self.assertIn(fragment, exc.detail)
        return exc


class TestFilterOperators(QueryTestCase):

    def test_eq_and_neq_on_string(self):
        self.assertEqual(['inst-1', 'inst-3'],
                         self.filtered('(eq,vnfdId,vnfd-1)'))
        self.assertEqual(['inst-0', 'inst-2'],
                         self.filtered('(neq,vnfdId,vnfd-1)'))

    def test_in_and_nin(self):
        self.assertEqual(['inst-0', 'inst-3'],
                         self.filtered('(in,id,inst-0,inst-3,inst-9)'))
        self.assertEqual(['inst-1', 'inst-2'],
                         self.filtered('(nin,id,inst-0,inst-3)'))

    def test_numbers_are_compared_as_numbers(self):
        bodies = [_instance(n) for n in (2, 10, 9)]
        # As strings '10' < '9'; as numbers it is not.
        self.assertEqual(['inst-10', 'inst-9'],
                         self.filtered('(gt,metadata/tier,2)',
                                       bodies=bodies))
        self.assertEqual(['inst-2', 'inst-9'],
                         self.filtered('(lt,metadata/tier,10)',
                                       bodies=bodies))
        self.assertEqual(['inst-10', 'inst-9'],
                         self.filtered('(gte,metadata/tier,9)',
                                       bodies=bodies))
        self.assertEqual(['inst-2', 'inst-9'],
                         self.filtered('(lte,metadata/tier,9.0)',
                                       bodies=bodies))
        self.assertEqual(['inst-10'],
                         self.filtered('(eq,metadata/tier,10)',
                                       bodies=bodies))

    def test_strings_are_ordered_as_strings(self):
        self.assertEqual(['inst-2', 'inst-3'],
                         self.filtered('(gte,vnfInstanceName,vnf-2)'))
        self.assertEqual(['inst-0'],
                         self.filtered('(lt,vnfInstanceName,vnf-1)'))

    def test_booleans(self):
        self.assertEqual(['inst-0', 'inst-2'],
                         self.filtered('(eq,metadata/enabled,true)'))
        self.assertEqual(['inst-1', 'inst-3'],
                         self.filtered('(eq,metadata/enabled,FALSE)'))
        self.assertEqual(['inst-1', 'inst-3'],
                         self.filtered('(neq,metadata/enabled,true)'))

    def test_cont_and_ncont(self):
        self.assertEqual(['inst-2', 'inst-3'],
                         self.filtered('(cont,vnfInstanceName,-2,-3)'))
        self.assertEqual(['inst-0', 'inst-1'],
                         self.filtered('(ncont,vnfInstanceName,-2,-3)'))

    def test_terms_are_all_required(self):
        self.assertEqual(['inst-3'], self.filtered(
            '(eq,vnfdId,vnfd-1);(eq,instantiationState,INSTANTIATED)'))

    def test_datetimes_compare_as_times(self):
        bodies = [
            {'id': 'a', 'stateEnteredTime': '2024-01-01T10:00:00Z'},
            {'id': 'b', 'stateEnteredTime': '2024-01-01T12:00:00Z'},
        ]
        self.assertEqual(['b'], self.filtered(
            '(gt,stateEnteredTime,2024-01-01T19:30:00+09:00)',
            bodies=bodies, schema=objects.VnfLcmOpOcc,
            default_excluded=()))


class TestFilterPaths(QueryTestCase):

    def test_nested_attribute(self):
        self.assertEqual(['inst-0', 'inst-1', 'inst-2', 'inst-3'],
                         self.filtered('(eq,vimConnectionInfo/vim1/vimType,'
                                       'kubernetes)'))
        self.assertEqual(['inst-2', 'inst-3'], self.filtered(
            '(eq,instantiatedVnfInfo/flavourId,simple)'))

    def test_array_matches_when_any_element_matches(self):
        self.assertEqual(['inst-2', 'inst-3'], self.filtered(
            '(eq,instantiatedVnfInfo/vnfcResourceInfo/vduId,VDU2)'))
        self.assertEqual(['inst-2'], self.filtered(
            '(eq,instantiatedVnfInfo/vnfcResourceInfo/vduId,VDU1)'))
        self.assertEqual(['inst-2'], self.filtered(
            '(eq,instantiatedVnfInfo/vnfcResourceInfo/computeResource/'
            'resourceId,srv-VDU1)'))

    def test_array_of_strings(self):
        self.assertEqual(['inst-2'], self.filtered(
            '(eq,instantiatedVnfInfo/vnfcResourceInfo/storageResourceIds,'
            'st-VDU1)'))
        self.assertEqual(['inst-1'], self.filtered('(eq,metadata/labels,a1)'))
        self.assertEqual(['inst-0', 'inst-1', 'inst-2', 'inst-3'],
                         self.filtered('(eq,metadata/labels,shared)'))

    def test_negation_over_array_means_no_element(self):
        self.assertEqual(['inst-0', 'inst-1', 'inst-3'], self.filtered(
            '(neq,instantiatedVnfInfo/vnfcResourceInfo/vduId,VDU1)'))

    def test_absent_attribute(self):
        self.assertEqual([], self.filtered(
            '(eq,instantiatedVnfInfo/flavourId,simple);'
            '(eq,vnfInstanceDescription,x)'))
        self.assertEqual(['inst-1', 'inst-2', 'inst-3'], self.filtered(
            "(neq,vnfInstanceDescription,'it''s (new), isn''t it')"))


class TestFilterQuoting(QueryTestCase):

    def test_quoted_value_with_comma_paren_and_quote(self):
        self.assertEqual(['inst-0'], self.filtered(
            "(eq,vnfInstanceDescription,'it''s (new), isn''t it')"))

    def test_quoted_values_in_a_list(self):
        self.assertEqual(['inst-0'], self.filtered(
            "(in,vnfInstanceDescription,'a,b','it''s (new), isn''t it',"
            "x);(in,id,'inst-0','inst-1')"))
        self.assertEqual(['inst-0', 'inst-1'], self.filtered(
            "(in,id,'inst-0','inst-1')"))

    def test_quoted_empty_value(self):
        bodies = [_instance(0, vnfInstanceName=''), _instance(1)]
        self.assertEqual(['inst-0'], self.filtered(
            "(eq,vnfInstanceName,'')", bodies=bodies))

    def test_parse_filter_reads_quotes(self):
        term, = query.parse_filter("(in,a,'x,y','(z)','''',w,' ')")
        self.assertEqual('in', term.op)
        self.assertEqual(['a'], term.path)
        self.assertEqual(['x,y', '(z)', "'", 'w', ' '], term.values)


class TestFilterErrors(QueryTestCase):

    def check(self, filter_value, *fragments):
        exc = self.assertInvalid('filter=' + urlparse.quote(filter_value),
                                 'filter', *fragments)
        return exc

    def test_malformed(self):
        self.check('', "expected '('")
        self.check('eq,id,x', "expected '('")
        self.check('(eq,id,x', "no closing ')'")
        self.check('(eq,id,x)(eq,id,y)', "expected ';'")
        self.check('(eq,id,x);', "expected '('")
        self.check("(eq,id,'x)", 'no closing quote')
        self.check("(eq,id,'x'y)", "expected ',' or ')'")
        self.check("(eq,id,O'Brien)", 'single quotes')
        self.check('(eq,id)', 'needs an operator, an attribute')
        self.check('(eq,,x)', 'empty name')
        self.check('(eq,metadata//x,x)', 'empty name')

    def test_unknown_operator(self):
        self.check('(like,id,x)', "unknown operator 'like'", 'eq, neq')

    def test_too_many_values(self):
        self.check('(eq,id,x,y)', 'eq takes one value')
        self.check('(gt,metadata/tier,1,2)', 'gt takes one value')

    def test_unknown_attribute(self):
        self.check('(eq,vnfName,x)', "no attribute 'vnfName'")
        self.check('(eq,instantiatedVnfInfo/vnfcResourceInfo/vdu,x)',
                   "'instantiatedVnfInfo/vnfcResourceInfo/vdu'")
        self.check('(eq,vnfdId/x,x)', "'vnfdId/x'")
        # Attributes the API never shows cannot be filtered on either.
        self.check('(eq,busyLcmOpOccId,x)', "'busyLcmOpOccId'")

    def test_structured_attribute(self):
        self.check('(eq,instantiatedVnfInfo,x)', 'structured attribute')

    def test_values_of_the_wrong_type(self):
        bodies = [{'id': 'o', 'isAutomaticInvocation': False}]
        kwargs = dict(bodies=bodies, schema=objects.VnfLcmOpOcc,
                      default_excluded=())
        self.assertInvalid('filter=(eq,isAutomaticInvocation,no)',
                           "'no' is not 'true' or 'false'", **kwargs)
        self.assertInvalid('filter=(gt,isAutomaticInvocation,true)',
                           'has no order', **kwargs)
        self.assertInvalid('filter=(cont,isAutomaticInvocation,t)',
                           'strings only', **kwargs)
        self.assertInvalid('filter=(gt,startTime,yesterday)',
                           'not a date and time', **kwargs)
        self.assertInvalid('filter=(eq,error/status,four)',
                           "'four' is not a number", **kwargs)

    def test_without_schema_paths_are_not_checked(self):
        self.assertEqual([], self.filtered('(eq,vnfName,x)', schema=None))
        self.check('(eq,,x)', 'empty name')


class TestSelectors(QueryTestCase):

    def one(self, query_string, **kwargs):
        bodies = [_instantiated(2, ['VDU1', 'VDU2'])]
        resp = self.list(query_string, bodies=bodies, **kwargs)
        self.assertEqual(200, resp.status)
        return resp.body[0]

    def test_default_is_exclude_default(self):
        body = self.one('')
        for name in DEFAULT_EXCLUDED:
            self.assertNotIn(name, body)
        self.assertEqual('vnf-2', body['vnfInstanceName'])
        self.assertIn('_links', body)
        self.assertEqual(body, self.one('exclude_default'))

    def test_no_default_set(self):
        full = _instantiated(2, ['VDU1', 'VDU2'])
        self.assertEqual(full, self.one('', default_excluded=()))

    def test_all_fields(self):
        self.assertEqual(_instantiated(2, ['VDU1', 'VDU2']),
                         self.one('all_fields'))

    def test_fields_keeps_simple_and_listed(self):
        body = self.one('fields=metadata,vimConnectionInfo')
        self.assertEqual(
            {'id', '_links', 'vnfInstanceName', 'vnfdId', 'vnfProvider',
             'vnfProductName', 'vnfSoftwareVersion', 'vnfdVersion',
             'instantiationState', 'metadata', 'vimConnectionInfo'},
            set(body))
        self.assertEqual({'vim1': {'vimType': 'kubernetes',
                                   'accessInfo': {'region': 'r1'}}},
                         body['vimConnectionInfo'])

    def test_fields_nested_through_arrays(self):
        body = self.one('fields=instantiatedVnfInfo/vnfcResourceInfo/'
                        'computeResource')
        info = body['instantiatedVnfInfo']
        # Simple members stay; complex ones only when listed.
        self.assertEqual({'flavourId', 'vnfState', 'vnfcResourceInfo'},
                         set(info))
        self.assertEqual([{'id': 'vnfc-2-VDU1', 'vduId': 'VDU1',
                           'computeResource': {'resourceId': 'srv-VDU1'}},
                          {'id': 'vnfc-2-VDU2', 'vduId': 'VDU2',
                           'computeResource': {'resourceId': 'srv-VDU2'}}],
                         info['vnfcResourceInfo'])

    def test_mandatory_attributes_kept(self):
        mandatory = ('instantiatedVnfInfo/extCpInfo', 'metadata')
        body = self.one('fields=instantiatedVnfInfo/vnfcResourceInfo',
                        mandatory=mandatory)
        self.assertIn('_links', body)
        self.assertEqual({'tier': 2, 'labels': ['a2', 'shared'],
                          'enabled': True}, body['metadata'])
        self.assertEqual([{'id': 'ecp', 'cpdId': 'CP1'}],
                         body['instantiatedVnfInfo']['extCpInfo'])
        # A mandatory attribute in the default set stays too.
        self.assertIn('metadata', self.one('', mandatory=mandatory))

    def test_exclude_fields(self):
        body = self.one('exclude_fields=metadata,instantiatedVnfInfo/'
                        'vnfcResourceInfo/storageResourceIds')
        self.assertNotIn('metadata', body)
        self.assertIn('vimConnectionInfo', body)
        for vnfc in body['instantiatedVnfInfo']['vnfcResourceInfo']:
            self.assertEqual({'id', 'vduId', 'computeResource'}, set(vnfc))
        self.assertEqual([{'id': 'ecp', 'cpdId': 'CP1'}],
                         body['instantiatedVnfInfo']['extCpInfo'])

    def test_exclude_default_with_fields(self):
        body = self.one('exclude_default&fields=metadata,'
                        'instantiatedVnfInfo/extCpInfo')
        self.assertIn('metadata', body)
        self.assertEqual({'flavourId', 'vnfState', 'extCpInfo'},
                         set(body['instantiatedVnfInfo']))
        for name in ('vimConnectionInfo', 'extensions',
                     'vnfConfigurableProperties'):
            self.assertNotIn(name, body)

    def test_exclude_default_with_exclude_fields(self):
        body = self.one('exclude_default&exclude_fields=vnfProvider')
        self.assertNotIn('vnfProvider', body)
        self.assertNotIn('metadata', body)

    def test_selectors_apply_after_filter(self):
        # Filtering sees attributes the answer leaves out.
        resp = self.list('filter=(eq,metadata/tier,1)')
        self.assertEqual(['inst-1'], [b['id'] for b in resp.body])
        self.assertNotIn('metadata', resp.body[0])


class TestSelectorErrors(QueryTestCase):

    def test_all_fields_with_others(self):
        for other in ('fields=metadata', 'exclude_fields=metadata',
                      'exclude_default'):
            self.assertInvalid('all_fields&' + other, 'all_fields',
                               'cannot be combined with')

    def test_fields_with_exclude_fields(self):
        self.assertInvalid('fields=metadata&exclude_fields=extensions',
                           'fields and exclude_fields')

    def test_mandatory_attribute_cannot_be_excluded(self):
        self.assertInvalid('exclude_fields=id', 'id is a mandatory')
        self.assertInvalid('exclude_fields=_links', '_links is a mandatory')

    def test_empty_lists(self):
        self.assertInvalid('fields=', 'fields', 'comma-separated')
        self.assertInvalid('exclude_fields=metadata,', 'empty name')

    def test_unknown_attribute(self):
        self.assertInvalid('fields=vnfName', "no attribute 'vnfName'")
        self.assertInvalid('exclude_fields=instantiatedVnfInfo/nope',
                           "'instantiatedVnfInfo/nope'")

    def test_flag_with_value(self):
        self.assertInvalid('all_fields=yes', 'all_fields', 'flag')
        self.assertInvalid('exclude_default=true', 'exclude_default', 'flag')

    def test_repeated_and_unknown_parameters(self):
        self.assertInvalid('filter=(eq,id,a)&filter=(eq,id,b)',
                           'filter', 'more than once')
        self.assertInvalid('limit=10', 'limit', 'supports only')
        self.assertEqual(4, len(self.list('limit=10',
                                          extra_params=('limit',)).body))


class TestPaging(QueryTestCase):

    def seven(self):
        return [_instance(n) for n in range(7)]

    def follow(self, link):
        url, rel = link.split('; ')
        self.assertEqual('rel="next"', rel)
        url = url.strip('<>')
        self.assertTrue(url.startswith(BASE + PATH + '?'), url)
        return url[len(BASE + PATH) + 1:]

    def test_three_pages(self):
        bodies = self.seven()
        resp = self.list('', bodies=bodies, page_size=3)
        self.assertEqual(['inst-0', 'inst-1', 'inst-2'],
                         [b['id'] for b in resp.body])
        second = self.follow(resp.headers['Link'])
        self.assertTrue(second.startswith('nextpage_opaque_marker='))
        resp = self.list(second, bodies=bodies, page_size=3)
        self.assertEqual(['inst-3', 'inst-4', 'inst-5'],
                         [b['id'] for b in resp.body])
        third = self.follow(resp.headers['Link'])
        resp = self.list(third, bodies=bodies, page_size=3)
        self.assertEqual(['inst-6'], [b['id'] for b in resp.body])
        self.assertNotIn('Link', resp.headers)

    def test_exact_multiple_has_no_empty_last_page(self):
        resp = self.list('', bodies=self.seven()[:6], page_size=3)
        resp = self.list(self.follow(resp.headers['Link']),
                         bodies=self.seven()[:6], page_size=3)
        self.assertEqual(3, len(resp.body))
        self.assertNotIn('Link', resp.headers)

    def test_no_paging(self):
        resp = self.list('', bodies=self.seven(), page_size=0)
        self.assertEqual(7, len(resp.body))
        self.assertNotIn('Link', resp.headers)

    def test_other_parameters_kept(self):
        bodies = self.seven()
        qs = 'filter=%s&all_fields' % urlparse.quote(
            "(in,vnfdId,'vnfd-0','x;y')")
        resp = self.list(qs, bodies=bodies, page_size=2)
        self.assertEqual(['inst-0', 'inst-2'], [b['id'] for b in resp.body])
        self.assertIn('metadata', resp.body[0])
        nxt = self.follow(resp.headers['Link'])
        params = list(urlparse.parse_qsl(nxt, keep_blank_values=True))
        self.assertEqual([('filter', "(in,vnfdId,'vnfd-0','x;y')"),
                          ('all_fields', '')], params[:2])
        self.assertEqual('nextpage_opaque_marker', params[2][0])
        resp = self.list(nxt, bodies=bodies, page_size=2)
        self.assertEqual(['inst-4', 'inst-6'], [b['id'] for b in resp.body])
        self.assertIn('metadata', resp.body[0])
        self.assertNotIn('Link', resp.headers)

    def test_entries_added_after_the_marker_are_not_lost(self):
        bodies = self.seven()
        resp = self.list('', bodies=bodies, page_size=3)
        del bodies[1]
        bodies.append(_instance(7))
        resp = self.list(self.follow(resp.headers['Link']), bodies=bodies,
                         page_size=3)
        self.assertEqual(['inst-3', 'inst-4', 'inst-5'],
                         [b['id'] for b in resp.body])

    def test_stale_marker(self):
        bodies = self.seven()
        resp = self.list('', bodies=bodies, page_size=3)
        nxt = self.follow(resp.headers['Link'])
        del bodies[2]
        self.assertInvalid(nxt, 'nextpage_opaque_marker', 'inst-2 is gone',
                           bodies=bodies, page_size=3)

    def test_unknown_marker(self):
        for marker in ('xyz', 'e30', query.make_marker('inst-1', [])[:-3],
                       '%3D%3D%3D'):
            self.assertInvalid('nextpage_opaque_marker=' + marker,
                               'not a marker this server gave out',
                               bodies=self.seven(), page_size=3)


class _FakeHttp:
    """python-tackerclient's HTTP client, answered by list_response."""

    def __init__(self, test, bodies, page_size):
        self.test = test
        self.bodies = bodies
        self.page_size = page_size
        self.urls = []

    def do_request(self, url, method, body=None, headers=None, **kwargs):
        self.urls.append(url)
        request = wsgi.Request(webob.Request.blank(url).environ)
        try:
            resp = query.list_response(
                request, self.bodies, self.page_size,
                default_excluded=DEFAULT_EXCLUDED,
                schema=objects.VnfInstance).to_webob()
        except sol_ex.SolException as e:
            resp = wsgi.problem_response(e)
        answer = webob.Response()
        answer.status_code = resp.status_code
        answer.headers = resp.headers
        return answer, resp.body


class TestTackerClientPaging(QueryTestCase):

    def client(self, bodies, page_size):
        client = tacker_client.VnfLCMClient('2', endpoint_url=BASE,
                                            auth_strategy='noauth')
        client.httpclient = _FakeHttp(self, bodies, page_size)
        return client

    def test_client_gets_every_entry(self):
        bodies = [_instance(n) for n in range(8)]
        client = self.client(bodies, 3)
        listed = client.list_vnf_instances()
        self.assertEqual([b['id'] for b in bodies],
                         [b['id'] for b in listed])
        self.assertEqual(3, len(client.httpclient.urls))

    def test_client_keeps_filter_and_flags_on_every_page(self):
        bodies = [_instance(n) for n in range(8)]
        client = self.client(bodies, 2)
        listed = client.list_vnf_instances(
            filter="(neq,vnfInstanceName,'vnf-3')", all_fields=None)
        self.assertEqual(['inst-%d' % n for n in (0, 1, 2, 4, 5, 6, 7)],
                         [b['id'] for b in listed])
        # all_fields held on pages after the first: the client drops the
        # bare flag from the Link URL, the marker keeps it.
        self.assertTrue(all('metadata' in b for b in listed))
        self.assertEqual(4, len(client.httpclient.urls))
        self.assertNotIn('all_fields', client.httpclient.urls[1])


class TestSchema(testtools.TestCase):

    def test_every_resource_has_an_attribute_tree(self):
        for cls in (objects.VnfInstance, objects.VnfLcmOpOcc,
                    objects.LccnSubscription, objects.VnfPkgInfo):
            tree = query.schema_of(cls)
            self.assertEqual('object', tree.kind)
            self.assertEqual('string', tree.children['id'].kind)
            self.assertEqual('free', tree.children['_links'].kind)
            for hidden in cls.db_only_fields:
                self.assertNotIn(hidden, tree.children)
