"""HTTP calls to a subscriber's callback URI, with its authentication.

SOL013 8.3.4: a subscription may ask for HTTP Basic authentication or
for an OAuth 2.0 bearer token obtained with the client credentials
grant. Tokens are kept until they expire so that a burst of notifications
costs one token request, not one each.

Every request goes only where ``callback_network`` allows. Nothing raised
or logged from here carries a password, a token, or any byte of what
answered: a failure is told by its kind (refused, timed out, not HTTP,
TLS), so a subscription cannot be used to probe what listens where.
"""
import hashlib
import threading
import time
import urllib.parse

import requests

from tacker.sol_refactored.api import versions
from tacker.sol_refactored.common import callback_network
from tacker.sol_refactored.common import config

CONF = config.CONF

BASIC = 'BASIC'
OAUTH2 = 'OAUTH2_CLIENT_CREDENTIALS'
TLS_CERT = 'TLS_CERT'

# Refresh a token this many seconds before the server says it expires,
# so that it does not run out between our check and the receiver's.
_TOKEN_MARGIN = 5.0


class CallbackError(Exception):
    """The callback could not be reached or did not answer usefully.

    The message is safe to log and to show to the subscriber.
    """


def shown_uri(uri):
    """The URI without user information, for logs and messages."""
    try:
        parts = urllib.parse.urlsplit(uri)
    except ValueError:
        return '(unparsable URI)'
    if parts.username is None and parts.password is None:
        return uri
    netloc = parts.hostname or ''
    if parts.port:
        netloc = '%s:%s' % (netloc, parts.port)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def chosen_auth_type(authentication):
    """The authType we use; TLS_CERT alone is refused at creation."""
    auth_types = (authentication or {}).get('authType') or []
    for auth_type in (OAUTH2, BASIC):
        if auth_type in auth_types:
            return auth_type
    return None


class _TokenCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}

    @staticmethod
    def _key(params):
        digest = hashlib.sha256(
            params.get('clientPassword', '').encode('utf-8')).hexdigest()
        return (params.get('tokenEndpoint'), params.get('clientId'), digest)

    def get(self, params):
        with self._lock:
            entry = self._tokens.get(self._key(params))
            if entry and entry[1] > time.monotonic():
                return entry[0]
        return None

    def put(self, params, token, expires_in):
        with self._lock:
            self._tokens[self._key(params)] = (
                token, time.monotonic() + expires_in - _TOKEN_MARGIN)

    def forget(self, params):
        with self._lock:
            self._tokens.pop(self._key(params), None)

    def clear(self):
        with self._lock:
            self._tokens.clear()


TOKENS = _TokenCache()


def _timeout():
    return (CONF.notification.timeout, CONF.notification.timeout)


_SESSION = []
_SESSION_LOCK = threading.Lock()


def _session():
    with _SESSION_LOCK:
        if not _SESSION:
            _SESSION.append(callback_network.session())
        return _SESSION[0]


def _reason(exc):
    """What kind of failure exc is, in words that quote nothing."""
    timeout = CONF.notification.timeout
    if isinstance(exc, requests.exceptions.SSLError):
        return 'the TLS handshake failed (is its certificate trusted?)'
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return 'no connection within %s seconds' % timeout
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return 'no answer within %s seconds' % timeout
    if isinstance(exc, requests.exceptions.ConnectionError):
        return ('the connection was refused, reset or not allowed, or what '
                'answered was not HTTP')
    return 'the request could not be completed'


def _send(what, method, url, **kwargs):
    """One request to a subscriber-chosen URL, or CallbackError."""
    try:
        callback_network.check_uri(url)
    except (callback_network.NotAllowed, ValueError) as e:
        raise CallbackError('%s %s is refused: %s' % (what, shown_uri(url),
                                                      e))
    try:
        return _session().request(method, url, timeout=_timeout(),
                                  verify=CONF.notification.verify_tls,
                                  allow_redirects=False, **kwargs)
    except (requests.RequestException, ValueError) as e:
        raise CallbackError('%s %s could not be reached: %s' % (
            what, shown_uri(url), _reason(e)))


def _fetch_token(params):
    endpoint = params.get('tokenEndpoint')
    resp = _send('the token endpoint', 'POST', endpoint,
                 data={'grant_type': 'client_credentials'},
                 auth=(params.get('clientId', ''),
                       params.get('clientPassword', '')),
                 headers={'Accept': 'application/json'})
    if resp.status_code != 200:
        raise CallbackError(
            'the token endpoint %s answered %s instead of 200 to a client '
            'credentials grant' % (shown_uri(endpoint), resp.status_code))
    try:
        answer = resp.json()
        token = answer['access_token']
        if not isinstance(token, str) or not token:
            raise ValueError('empty access_token')
    except (ValueError, KeyError, TypeError):
        raise CallbackError(
            'the token endpoint %s did not answer a JSON object with an '
            'access_token' % shown_uri(endpoint))
    expires_in = answer.get('expires_in')
    if isinstance(expires_in, (int, float)) and expires_in > _TOKEN_MARGIN:
        TOKENS.put(params, token, float(expires_in))
    return token


def _auth_arguments(authentication):
    """(requests auth, extra headers, oauth params or None)."""
    auth_type = chosen_auth_type(authentication)
    if auth_type == BASIC:
        params = authentication.get('paramsBasic') or {}
        return (params.get('userName', ''), params.get('password', '')), {}, \
            None
    if auth_type == OAUTH2:
        params = authentication.get('paramsOauth2ClientCredentials') or {}
        token = TOKENS.get(params) or _fetch_token(params)
        return None, {'Authorization': 'Bearer ' + token}, params
    return None, {}, None


def call(method, uri, authentication=None, body=None):
    """Send one request; return the status code or raise CallbackError."""
    auth, headers, oauth_params = _auth_arguments(authentication)
    headers['Version'] = versions.VNFLCM_V2
    headers['Accept'] = 'application/json'
    resp = _send('%s of the callback URI' % method, method, uri, json=body,
                 auth=auth, headers=headers)
    resp.close()
    if resp.status_code == 401 and oauth_params is not None:
        # The receiver no longer takes our token; the next attempt asks
        # for a fresh one.
        TOKENS.forget(oauth_params)
    return resp.status_code
