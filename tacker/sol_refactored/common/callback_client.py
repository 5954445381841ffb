"""HTTP calls to a subscriber's callback URI, with its authentication.

SOL013 8.3.4: a subscription may ask for HTTP Basic authentication or
for an OAuth 2.0 bearer token obtained with the client credentials
grant. Tokens are kept until they expire so that a burst of notifications
costs one token request, not one each.

Nothing raised or logged from here carries a password or a token: error
texts pass through ``redact.mask_text`` with the subscription's secrets.
"""
import hashlib
import threading
import time
import urllib.parse

import requests

from tacker.sol_refactored.api import versions
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import redact

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


def secrets_of(authentication):
    found = set()
    for params in ((authentication or {}).get('paramsBasic') or {},
                   (authentication or {}).get(
                       'paramsOauth2ClientCredentials') or {}):
        for key in ('password', 'clientPassword'):
            if params.get(key):
                found.add(params[key])
    return found


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


def _fetch_token(params, secrets):
    endpoint = params.get('tokenEndpoint')
    try:
        resp = requests.post(
            endpoint, data={'grant_type': 'client_credentials'},
            auth=(params.get('clientId', ''),
                  params.get('clientPassword', '')),
            headers={'Accept': 'application/json'},
            timeout=_timeout(), verify=CONF.notification.verify_tls)
    except requests.RequestException as e:
        raise CallbackError(redact.mask_text(
            'the token endpoint %s could not be reached: %s' % (
                shown_uri(endpoint), e), secrets))
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


def _auth_arguments(authentication, secrets):
    """(requests auth, extra headers, oauth params or None)."""
    auth_type = chosen_auth_type(authentication)
    if auth_type == BASIC:
        params = authentication.get('paramsBasic') or {}
        return (params.get('userName', ''), params.get('password', '')), {}, \
            None
    if auth_type == OAUTH2:
        params = authentication.get('paramsOauth2ClientCredentials') or {}
        token = TOKENS.get(params) or _fetch_token(params, secrets)
        return None, {'Authorization': 'Bearer ' + token}, params
    return None, {}, None


def call(method, uri, authentication=None, body=None):
    """Send one request; return the status code or raise CallbackError."""
    secrets = secrets_of(authentication)
    auth, headers, oauth_params = _auth_arguments(authentication, secrets)
    headers['Version'] = versions.VNFLCM_V2
    headers['Accept'] = 'application/json'
    if oauth_params is not None:
        secrets.add(headers['Authorization'][len('Bearer '):])
    try:
        resp = requests.request(
            method, uri, json=body, auth=auth, headers=headers,
            timeout=_timeout(), verify=CONF.notification.verify_tls,
            allow_redirects=False)
    except requests.RequestException as e:
        raise CallbackError(redact.mask_text(
            '%s %s failed: %s' % (method, shown_uri(uri), e), secrets))
    resp.close()
    if resp.status_code == 401 and oauth_params is not None:
        # The receiver no longer takes our token; the next attempt asks
        # for a fresh one.
        TOKENS.forget(oauth_params)
    return resp.status_code
