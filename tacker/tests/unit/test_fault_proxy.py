"""The fault proxy, against a small upstream HTTP server of the test's own."""
import http.server
import json
import os
import queue
import signal
import subprocess
import sys
import threading

import fixtures
import requests
import testtools

from tacker.tests import fault_proxy

# (connect, read) timeouts of the clients in these tests.
SHORT = (2, 0.3)
LONG = (2, 10)


class Upstream(fixtures.Fixture):
    """Records every request; answers with an echo of it as JSON.

    ``/stream`` answers a chunked stream, one line per item the test puts
    in ``lines`` (``None`` ends it). ``/links`` answers a body and a
    Location header holding the upstream's own base URL.
    """

    def _setUp(self):
        self.requests = []
        self.lines = queue.Queue()
        self.stream_done = threading.Event()
        self._cond = threading.Condition()
        upstream = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def __getattr__(self, name):
                if name.startswith('do_'):
                    return self._handle
                raise AttributeError(name)

            def _handle(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                seen = {'method': self.command, 'path': self.path,
                        'headers': dict(self.headers.items()),
                        'body': body}
                with upstream._cond:
                    upstream.requests.append(seen)
                    upstream._cond.notify_all()
                if self.path == '/stream':
                    return self._stream()
                if self.path == '/links':
                    return self._links()
                answer = json.dumps({
                    'method': self.command, 'path': self.path,
                    'body': body.decode('utf-8'),
                    'x_test': self.headers.get('X-Test')}).encode()
                status = {'POST': 201, 'DELETE': 202}.get(self.command, 200)
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('X-Upstream', 'yes')
                self.send_header('Content-Length', str(len(answer)))
                self.end_headers()
                if self.command != 'HEAD':
                    self.wfile.write(answer)

            def _stream(self):
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Transfer-Encoding', 'chunked')
                self.end_headers()
                while True:
                    line = upstream.lines.get(timeout=30)
                    if line is None:
                        break
                    data = line.encode() + b'\n'
                    self.wfile.write(b'%x\r\n%s\r\n' % (len(data), data))
                    self.wfile.flush()
                self.wfile.write(b'0\r\n\r\n')
                upstream.stream_done.set()

            def _links(self):
                base = upstream.base_url
                data = json.dumps({'links': [
                    {'rel': 'self', 'href': base + '/v1/stacks/s1'}]})
                data = data.encode()
                self.send_response(302)
                self.send_header('Location', base + '/v1/stacks/s1')
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      Handler)
        self.server.daemon_threads = True
        self.base_url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        thread = threading.Thread(target=self.server.serve_forever,
                                  kwargs={'poll_interval': 0.1})
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        # Let a stream still open at the end finish.
        self.addCleanup(self.lines.put, None)

    def wait_requests(self, count, timeout=10):
        with self._cond:
            if not self._cond.wait_for(
                    lambda: len(self.requests) >= count, timeout):
                raise AssertionError('upstream saw %d requests, not %d'
                                     % (len(self.requests), count))
            return list(self.requests)


class ProxyTestBase(testtools.TestCase):
    proxy_options = {}

    def setUp(self):
        super().setUp()
        self.upstream = self.useFixture(Upstream())
        fixture = self.useFixture(fault_proxy.FaultProxyFixture(
            self.upstream.base_url, **self.proxy_options))
        self.proxy = fixture.proxy
        self.url = fixture.base_url
        self.session = requests.Session()
        self.addCleanup(self.session.close)

    def get(self, path, **kwargs):
        # A fresh connection each time, so that a drop or hang does not
        # touch the next call.
        kwargs.setdefault('timeout', LONG)
        return requests.get(self.url + path, **kwargs)


class TestPassThrough(ProxyTestBase):

    def test_methods_bodies_and_headers(self):
        for method in ('GET', 'POST', 'PUT', 'PATCH', 'DELETE'):
            body = json.dumps({'verb': method})
            response = self.session.request(
                method, self.url + '/v1/things/1?a=b&c=d', data=body,
                headers={'X-Test': 'value-' + method,
                         'Content-Type': 'application/json'},
                timeout=LONG)
            self.assertEqual({'POST': 201, 'DELETE': 202}.get(method, 200),
                             response.status_code)
            self.assertEqual('yes', response.headers['X-Upstream'])
            self.assertEqual(
                {'method': method, 'path': '/v1/things/1?a=b&c=d',
                 'body': body, 'x_test': 'value-' + method},
                response.json())
        seen = self.upstream.requests
        self.assertEqual(5, len(seen))
        netloc = self.upstream.base_url.split('//')[1]
        for request in seen:
            self.assertEqual(netloc, request['headers']['Host'])
            self.assertEqual('application/json',
                             request['headers']['Content-Type'])
        self.assertEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
                         [c['method'] for c in self.proxy.calls()])
        self.assertEqual({'answered'},
                         {c['outcome'] for c in self.proxy.calls()})
        self.assertTrue(all(c['forwarded'] for c in self.proxy.calls()))

    def test_head(self):
        response = self.session.head(self.url + '/x', timeout=LONG)
        self.assertEqual(200, response.status_code)
        self.assertEqual(b'', response.content)
        self.assertEqual('yes', response.headers['X-Upstream'])

    def test_streaming_is_relayed_line_by_line(self):
        response = requests.get(self.url + '/stream', stream=True,
                                timeout=LONG)
        self.assertEqual(200, response.status_code)
        self.assertEqual('chunked', response.headers['Transfer-Encoding'])
        lines = response.iter_lines()
        for n in range(3):
            self.upstream.lines.put('{"n": %d}' % n)
            # The upstream is still waiting for the next line, so this
            # one came through before the upstream finished.
            self.assertEqual(b'{"n": %d}' % n, next(lines))
            self.assertFalse(self.upstream.stream_done.is_set())
        self.assertEqual('streaming', self.proxy.calls()[0]['outcome'])
        self.upstream.lines.put(None)
        self.assertEqual([], list(lines))
        self.assertEqual('answered', self.proxy.wait_for_calls(
            outcome='answered')[0]['outcome'])

    def test_unreachable_upstream(self):
        # A port nobody listens on any more.
        upstream = Upstream()
        upstream.setUp()
        url = upstream.base_url
        upstream.cleanUp()
        proxy = self.useFixture(fault_proxy.FaultProxyFixture(url))
        response = requests.get(proxy.base_url + '/x', timeout=LONG)
        self.assertEqual(502, response.status_code)
        self.assertEqual('error', proxy.proxy.calls()[0]['outcome'])


class TestFaults(ProxyTestBase):

    def test_fail_second_matching_call_only(self):
        error = fault_proxy.openstack_error(503, 'Service Unavailable',
                                            'try later')
        rule = self.proxy.fail(503, error, method='GET',
                               path_regex='^/v1/stacks', nth=2)
        # Neither of these match: another path, another method.
        self.assertEqual(200, self.get('/v1/other').status_code)
        self.assertEqual(201, self.session.post(
            self.url + '/v1/stacks', timeout=LONG).status_code)
        self.assertEqual(200, self.get('/v1/stacks').status_code)
        failed = self.get('/v1/stacks/s1')
        self.assertEqual(503, failed.status_code)
        self.assertEqual('application/json', failed.headers['Content-Type'])
        self.assertEqual(error, failed.json())
        self.assertEqual(200, self.get('/v1/stacks').status_code)

        self.assertEqual(4, len(self.upstream.requests))
        self.assertNotIn('/v1/stacks/s1',
                         [r['path'] for r in self.upstream.requests])
        counted = self.proxy.rule(rule['id'])
        self.assertEqual((3, 1), (counted['matched'], counted['applied']))
        calls = self.proxy.calls()
        self.assertEqual(
            [(None, 200), (None, 201), (None, 200), (rule['id'], 503),
             (None, 200)],
            [(c['rule'], c['status']) for c in calls])
        self.assertFalse(calls[3]['forwarded'])
        self.assertEqual([calls[3]], self.proxy.calls(rule=rule['id']))

    def test_fail_every_with_kubernetes_status_and_times(self):
        status = fault_proxy.k8s_status(409, 'AlreadyExists', 'exists')
        self.proxy.fail(409, status, nth='every', times=2,
                        path_regex='/pods')
        responses = [self.get('/api/v1/namespaces/default/pods')
                     for _ in range(3)]
        self.assertEqual([409, 409, 200],
                         [r.status_code for r in responses])
        self.assertEqual(status, responses[0].json())
        self.assertEqual('application/json',
                         responses[1].headers['Content-Type'])
        self.assertEqual(1, len(self.upstream.requests))

    def test_delay_then_forward(self):
        rule = self.proxy.delay(0.05, path_regex='^/slow$')
        response = self.get('/slow')
        self.assertEqual(200, response.status_code)
        self.assertEqual('/slow', response.json()['path'])
        self.assertEqual('delay', self.proxy.calls()[0]['action'])
        self.assertEqual(1, self.proxy.rule(rule['id'])['applied'])

    def test_long_delay_holds_the_call_back_until_released(self):
        rule = self.proxy.delay(600, path_regex='^/slow$')
        self.assertRaises(requests.exceptions.ReadTimeout,
                          self.get, '/slow', timeout=SHORT)
        # Still held: the upstream has not seen it yet.
        self.assertEqual('delayed', self.proxy.calls()[0]['outcome'])
        self.assertEqual([], self.upstream.requests)
        self.assertEqual(1, self.proxy.rule(rule['id'])['waiting'])
        self.proxy.release(rule['id'])
        self.assertEqual('/slow', self.upstream.wait_requests(1)[0]['path'])

    def test_hang_ends_by_the_client_read_timeout(self):
        rule = self.proxy.hang(method='POST', path_regex='^/v1/stacks$')
        self.assertRaises(requests.exceptions.ReadTimeout,
                          self.session.post, self.url + '/v1/stacks',
                          json={'a': 1}, timeout=SHORT)
        call, = self.proxy.calls()
        self.assertEqual(('hung', None, False),
                         (call['outcome'], call['status'],
                          call['forwarded']))
        self.assertEqual([], self.upstream.requests)
        self.assertEqual(1, self.proxy.rule(rule['id'])['waiting'])
        # Removing the rule releases the call: it is closed unanswered.
        self.proxy.remove_rule(rule['id'])
        self.proxy.wait_for_calls(outcome='released')
        self.assertEqual([], self.proxy.rules())
        self.assertEqual([], self.upstream.requests)
        # Later calls go through.
        self.assertEqual(201, self.session.post(
            self.url + '/v1/stacks', timeout=LONG).status_code)

    def test_hang_released_then_forwarded(self):
        rule = self.proxy.hang(path_regex='^/late$', then='forward')
        result = {}

        def call():
            result['response'] = self.get('/late')

        thread = threading.Thread(target=call)
        thread.start()
        self.proxy.wait_for_calls(outcome='hung')
        self.assertEqual([], self.upstream.requests)
        self.proxy.release(rule['id'])
        thread.join()
        self.assertEqual(200, result['response'].status_code)
        self.assertEqual('/late', self.upstream.requests[0]['path'])
        # The rule stays, and holds the next call again.
        self.assertRaises(requests.exceptions.ReadTimeout,
                          self.get, '/late', timeout=SHORT)
        self.assertEqual(1, len(self.upstream.requests))

    def test_drop(self):
        rule = self.proxy.drop(path_regex='^/gone$')
        self.assertRaises(requests.exceptions.ConnectionError,
                          self.get, '/gone')
        self.assertEqual([], self.upstream.requests)
        self.assertEqual('dropped', self.proxy.calls()[0]['outcome'])
        self.assertEqual(1, self.proxy.rule(rule['id'])['applied'])
        # nth defaults to every call.
        self.assertRaises(requests.exceptions.ConnectionError,
                          self.get, '/gone')

    def test_drop_with_reset(self):
        self.proxy.drop(path_regex='^/gone$', reset=True)
        self.assertRaises(requests.exceptions.ConnectionError,
                          self.get, '/gone')
        self.assertEqual([], self.upstream.requests)

    def test_first_applying_rule_wins_and_all_count(self):
        first = self.proxy.fail(500, 'first', path_regex='^/x', nth=1)
        second = self.proxy.fail(502, 'second', path_regex='^/x',
                                 nth='every')
        self.assertEqual('first', self.get('/x').text)
        self.assertEqual('text/plain; charset=utf-8',
                         self.get('/x').headers['Content-Type'])
        self.assertEqual(
            [(first['id'], 2, 1), (second['id'], 2, 1)],
            [(r['id'], r['matched'], r['applied'])
             for r in self.proxy.rules()])

    def test_rules_remove_and_reset(self):
        a = self.proxy.fail(500, path_regex='^/a')
        self.proxy.fail(500, path_regex='^/b')
        self.assertEqual(500, self.get('/a').status_code)
        self.proxy.remove_rule(a['id'])
        self.assertEqual(200, self.get('/a').status_code)
        self.assertEqual(1, len(self.proxy.rules()))
        self.assertRaises(KeyError, self.proxy.remove_rule, a['id'])
        self.proxy.remove_rules()
        self.assertEqual(200, self.get('/b').status_code)
        self.proxy.fail(500)
        self.assertEqual(3, len(self.proxy.calls()))
        self.proxy.reset()
        self.assertEqual(([], []), (self.proxy.rules(), self.proxy.calls()))

    def test_bad_rules(self):
        for action, kwargs in (('explode', {}),
                               ('fail', {'nth': 0}),
                               ('fail', {'nth': 'sometimes'}),
                               ('fail', {'times': 0}),
                               ('fail', {'status': 42}),
                               ('fail', {'path_regex': '('}),
                               ('hang', {'then': 'later'}),
                               ('delay', {'seconds': -1}),
                               ('fail', {'colour': 'red'})):
            self.assertRaises(ValueError, self.proxy.add_rule, action,
                              **kwargs)
        self.assertEqual([], self.proxy.rules())


class TestControlOverHTTP(ProxyTestBase):

    def test_driven_from_another_thread(self):
        results = {}
        added = threading.Event()
        go_on = threading.Event()

        def driver():
            client = fault_proxy.ControlClient(self.url)
            try:
                results['rule'] = client.fail(
                    500, fault_proxy.k8s_status(500, 'InternalError'),
                    method='GET', path_regex='^/api/v1/pods', nth=2)
                added.set()
                go_on.wait(30)
                results['calls'] = client.wait_for_calls(2, timeout=10)
                results['rules'] = client.rules()
                try:
                    client.add_rule('fail', nth=0)
                except ValueError as exc:
                    results['bad'] = str(exc)
                try:
                    client.remove_rule('r999')
                except KeyError as exc:
                    results['missing'] = exc.args[0]
                client.remove_rule(results['rule']['id'])
                client.reset()
                results['after'] = (client.rules(), client.calls())
            finally:
                client.close()

        thread = threading.Thread(target=driver)
        thread.start()
        self.assertTrue(added.wait(30))
        self.assertEqual(200, self.get('/api/v1/pods').status_code)
        response = self.get('/api/v1/pods')
        self.assertEqual(500, response.status_code)
        self.assertEqual('InternalError', response.json()['reason'])
        go_on.set()
        thread.join()

        rule_id = results['rule']['id']
        self.assertEqual([(None, 200), (rule_id, 500)],
                         [(c['rule'], c['status'])
                          for c in results['calls']])
        self.assertEqual([(rule_id, 2, 1)],
                         [(r['id'], r['matched'], r['applied'])
                          for r in results['rules']])
        self.assertIn('nth', results['bad'])
        self.assertEqual('r999', results['missing'])
        self.assertEqual(([], []), results['after'])
        # The control calls were never forwarded nor logged as calls.
        self.assertEqual(['/api/v1/pods'],
                         [r['path'] for r in self.upstream.requests])

    def test_release_and_filters_over_http(self):
        client = fault_proxy.ControlClient(self.url)
        self.addCleanup(client.close)
        rule = client.hang(path_regex='^/h$')
        self.assertRaises(requests.exceptions.ReadTimeout,
                          self.get, '/h', timeout=SHORT)
        self.assertEqual(1, client.rule(rule['id'])['waiting'])
        self.assertEqual(1, len(client.calls(outcome='hung')))
        self.assertEqual([], client.calls(method='POST'))
        client.release(rule['id'])
        self.assertEqual('released', client.wait_for_calls(
            rule=rule['id'], outcome='released')[0]['outcome'])
        self.assertRaises(TimeoutError, client.wait_for_calls, 5,
                          timeout=0.1)
        client.clear_calls()
        self.assertEqual([], client.calls())
        self.assertEqual(404, requests.get(
            self.url + '/__fault__/nothing', timeout=LONG).status_code)


class TestRewrite(ProxyTestBase):

    def test_off_by_default(self):
        response = self.get('/links', allow_redirects=False)
        self.assertIn(self.upstream.base_url, response.text)
        self.assertTrue(response.headers['Location'].startswith(
            self.upstream.base_url))


class TestRewriteOn(ProxyTestBase):
    proxy_options = {'rewrite_urls': True}

    def test_body_and_location(self):
        response = self.get('/links', allow_redirects=False)
        self.assertEqual(302, response.status_code)
        self.assertEqual(self.url + '/v1/stacks/s1',
                         response.json()['links'][0]['href'])
        self.assertNotIn(self.upstream.base_url, response.text)
        self.assertEqual(self.url + '/v1/stacks/s1',
                         response.headers['Location'])
        self.assertEqual(str(len(response.content)),
                         response.headers['Content-Length'])


class TestLifeCycle(testtools.TestCase):

    def test_stop_releases_hung_calls_and_cuts_streams(self):
        upstream = self.useFixture(Upstream())
        fixture = fault_proxy.FaultProxyFixture(upstream.base_url)
        fixture.setUp()
        fixture.proxy.hang(path_regex='^/h$')
        results = {}

        def call(name, path, **kwargs):
            try:
                response = requests.get(fixture.base_url + path,
                                        timeout=LONG, **kwargs)
                results[name] = response
                if kwargs.get('stream'):
                    results[name] = list(response.iter_lines())
            except requests.exceptions.RequestException as exc:
                results[name] = exc

        threads = [threading.Thread(target=call, args=('hang', '/h')),
                   threading.Thread(target=call, args=('stream', '/stream'),
                                    kwargs={'stream': True})]
        for thread in threads:
            thread.start()
        fixture.proxy.wait_for_calls(outcome='hung')
        upstream.lines.put('one')
        fixture.proxy.wait_for_calls(outcome='streaming')
        fixture.cleanUp()
        for thread in threads:
            thread.join()
        self.assertIsInstance(results['hang'],
                              requests.exceptions.ConnectionError)
        # The stream was cut before its end.
        self.assertIsInstance(results['stream'],
                              requests.exceptions.RequestException)
        self.assertFalse(upstream.stream_done.is_set())
        self.assertRaises(requests.exceptions.ConnectionError,
                          requests.get, fixture.base_url + '/x',
                          timeout=LONG)

    def test_process(self):
        upstream = self.useFixture(Upstream())
        process = subprocess.Popen(
            [sys.executable, '-m', 'tacker.tests.fault_proxy',
             '--upstream', upstream.base_url, '--port', '0'],
            stdout=subprocess.PIPE, text=True, env=dict(os.environ))
        self.addCleanup(process.wait, 30)
        self.addCleanup(process.stdout.close)
        try:
            base_url = process.stdout.readline().strip()
            self.assertTrue(base_url.startswith('http://127.0.0.1:'))
            client = fault_proxy.ControlClient(base_url)
            self.addCleanup(client.close)
            client.fail(418, 'teapot', path_regex='^/tea$')
            self.assertEqual(418, requests.get(
                base_url + '/tea', timeout=LONG).status_code)
            self.assertEqual(200, requests.get(
                base_url + '/coffee', timeout=LONG).status_code)
            self.assertEqual(['/coffee'],
                             [r['path'] for r in upstream.requests])
        finally:
            process.send_signal(signal.SIGTERM)
        self.assertEqual(0, process.wait(30))
