"""Request bodies within bounds: size, nesting, characters.

A JSON body larger than ``[DEFAULT] max_request_body_size`` is refused
with 413 from its Content-Length, before any of it is read; a chunked one
(no Content-Length) as soon as more than the limit has come. The CSAR
upload (``PUT .../package_content``) is bounded by its own option and
streamed to disk, so it is left to its controller.

A parsed body nested deeper than ``[DEFAULT] max_json_depth``, or with a
NUL character in any key or string, is a 400 naming where (the path of
keys, never the value): NUL bytes end strings in C libraries, file
systems and some databases, so they are kept out of everything after.
"""
import re

import webob.dec

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import exceptions as sol_ex

CONF = config.CONF
UNBOUNDED_PATHS = re.compile(r'/vnfpkgm/v[12]/vnf_packages/[^/]+/'
                             r'package_content$')
# What an error may echo of a client's text.
ECHO_LIMIT = 64


def echo(text):
    """At most ECHO_LIMIT characters of a client's text, for a message."""
    text = str(text)
    if len(text) <= ECHO_LIMIT:
        return text
    return '%s... (%d characters)' % (text[:ECHO_LIMIT], len(text))


class _LimitedInput:
    """wsgi.input that refuses to give more than ``limit`` bytes."""

    def __init__(self, stream, limit):
        self.stream = stream
        self.left = limit
        self.limit = limit

    def _take(self, data):
        self.left -= len(data)
        if self.left < 0:
            raise sol_ex.PayloadTooLarge(size='more than %d' % self.limit,
                                         limit=self.limit)
        return data

    def read(self, size=-1):
        want = self.left + 1 if size is None or size < 0 else min(
            size, self.left + 1)
        return self._take(self.stream.read(want))

    def readline(self, size=-1):
        want = self.left + 1 if size is None or size < 0 else min(
            size, self.left + 1)
        return self._take(self.stream.readline(want))

    def __iter__(self):
        return iter(self.readline, b'')


class BodyLimitMiddleware:
    """413 for a JSON body over the limit; see the module's docstring."""

    def __init__(self, app, problem_response, version_for_path):
        self.app = app
        self.problem_response = problem_response
        self.version_for_path = version_for_path

    @webob.dec.wsgify
    def __call__(self, request):
        if UNBOUNDED_PATHS.search(request.path_info):
            return request.get_response(self.app)
        limit = CONF.max_request_body_size
        length = request.content_length
        if length is not None and length > limit:
            return self.problem_response(
                sol_ex.PayloadTooLarge(size=length, limit=limit),
                self.version_for_path(request.path_info))
        if length is None and 'wsgi.input' in request.environ:
            request.environ['wsgi.input'] = _LimitedInput(
                request.environ['wsgi.input'], limit)
        return request.get_response(self.app)


def _where(path):
    return '/'.join(str(p) for p in path) or '(body)'


def check_structure(body):
    """400 for a body nested too deep or holding a NUL character.

    Walks without recursion, so any depth json could parse is handled.
    """
    limit = CONF.max_json_depth
    todo = [(body, 1, ())]
    while todo:
        value, depth, path = todo.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                raise sol_ex.BadRequest(
                    'The request body is nested deeper than %d levels (at '
                    '%s).' % (limit, echo(_where(path))))
            items = (value.items() if isinstance(value, dict)
                     else enumerate(value))
            for key, item in items:
                if isinstance(key, str) and '\x00' in key:
                    raise sol_ex.BadRequest(
                        'A key of %s holds a NUL character.' %
                        echo(_where(path)))
                todo.append((item, depth + 1, path + (key,)))
        elif isinstance(value, str) and '\x00' in value:
            raise sol_ex.BadRequest('%s holds a NUL character.' %
                                    echo(_where(path)))
