"""/vnflcm/v2/subscriptions (SOL003 5.4.18, 5.4.19)."""
import json
import urllib.parse
import uuid

from oslo_log import log as logging

from tacker.sol_refactored.api.schemas import subscription as schema
from tacker.sol_refactored.api import validator
from tacker.sol_refactored.api import versions
from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import callback_client
from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import project_scope
from tacker.sol_refactored.common import query
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored.db import api as db_api
from tacker.sol_refactored import objects
from tacker.sol_refactored.objects import base as obj_base

LOG = logging.getLogger(__name__)
CONF = config.CONF

_LCMOCC = 'VnfLcmOperationOccurrenceNotification'


def _check_callback_uri(uri):
    try:
        parts = urllib.parse.urlsplit(uri)
        parts.port
    except ValueError as e:
        raise sol_ex.BadRequest('callbackUri is not a valid URI: %s.' % e)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise sol_ex.BadRequest(
            'callbackUri must be an absolute http or https URI, such as '
            'https://nfvo.example.com/notifications; got %r.' %
            callback_client.shown_uri(uri))


def _check_authentication(auth):
    if auth is None:
        return
    auth_types = auth['authType']
    if callback_client.chosen_auth_type(auth) is None:
        raise sol_ex.UnprocessableEntity(
            'authentication authType TLS_CERT is not supported for '
            'notifications; use BASIC or OAUTH2_CLIENT_CREDENTIALS.')
    # Nothing is provisioned out of band here, so the parameters of each
    # type the subscriber named must come with the request.
    required = {
        callback_client.BASIC: ('paramsBasic', ('userName', 'password')),
        callback_client.OAUTH2: ('paramsOauth2ClientCredentials',
                                 ('clientId', 'clientPassword',
                                  'tokenEndpoint')),
    }
    for auth_type, (params_name, keys) in required.items():
        params = auth.get(params_name)
        if auth_type not in auth_types:
            if params is not None:
                raise sol_ex.BadRequest(
                    'authentication %s is given but authType does not '
                    'list %s.' % (params_name, auth_type))
            continue
        missing = [k for k in keys if not (params or {}).get(k)]
        if missing:
            raise sol_ex.BadRequest(
                'authentication authType %s needs %s with %s.' % (
                    auth_type, params_name, ', '.join(missing)))
    oauth = auth.get('paramsOauth2ClientCredentials')
    if oauth:
        endpoint = urllib.parse.urlsplit(oauth['tokenEndpoint'])
        if endpoint.scheme not in ('http', 'https') or not endpoint.hostname:
            raise sol_ex.BadRequest(
                'authentication paramsOauth2ClientCredentials tokenEndpoint '
                'must be an absolute http or https URI.')


def _check_filter(subsc_filter):
    if not subsc_filter:
        return
    types = subsc_filter.get('notificationTypes')
    if types and _LCMOCC not in types:
        for key in ('operationTypes', 'operationStates'):
            if key in subsc_filter:
                raise sol_ex.BadRequest(
                    'filter %s only applies to %s, which filter '
                    'notificationTypes does not list; remove %s or add '
                    'that type.' % (key, _LCMOCC, key))
    inst_filter = subsc_filter.get('vnfInstanceSubscriptionFilter') or {}
    for first, second in (('vnfdIds', 'vnfProductsFromProviders'),
                          ('vnfInstanceIds', 'vnfInstanceNames')):
        if first in inst_filter and second in inst_filter:
            raise sol_ex.BadRequest(
                'filter vnfInstanceSubscriptionFilter may hold %s or %s, '
                'not both (SOL003 VnfInstanceSubscriptionFilter); make two '
                'subscriptions instead.' % (first, second))


def _canonical(value):
    return json.dumps(value or {}, sort_keys=True)


def _find_same(subscriptions, callback_uri, subsc_filter):
    wanted = _canonical(subsc_filter)
    for subsc in subscriptions:
        if (subsc.callbackUri == callback_uri and
                _canonical(subsc.obj_get('filter')) == wanted):
            return subsc
    return None


def _test_callback(uri, auth):
    """SOL003 5.4.20.3.2: the callback must answer a GET with 204."""
    try:
        status = callback_client.call('GET', uri, auth)
    except callback_client.CallbackError as e:
        raise sol_ex.BadRequest(
            'The callbackUri was tested with a GET and %s. Make it '
            'reachable from the VNFM and answer 204 No Content.' % e)
    if status != 204:
        raise sol_ex.BadRequest(
            'The callbackUri %s answered %s to a test GET; it must answer '
            '204 No Content (SOL003 5.4.20.3.2).' % (
                callback_client.shown_uri(uri), status))


class SubscriptionsController:

    def create(self, request):
        body = validator.validate(schema.LccnSubscriptionRequest,
                                  request.json_body())
        callback_uri = body['callbackUri']
        subsc_filter = body.get('filter')
        auth = body.get('authentication')
        _check_callback_uri(callback_uri)
        _check_authentication(auth)
        _check_filter(subsc_filter)
        context = request.context
        base = request.base_url()
        owner = project_scope.owner_of_new(context)

        # Only a twin of the caller's own project counts: an admin's new
        # subscription is not another project's.
        same = _find_same(objects.LccnSubscription.get_all(
            context, projectId=owner), callback_uri, subsc_filter)
        if same is not None:
            return self._see_other(base, same)

        if CONF.notification.test_callback_uri:
            _test_callback(callback_uri, auth)

        subsc = objects.LccnSubscription(
            id=str(uuid.uuid4()), callbackUri=callback_uri,
            verbosity=body.get('verbosity', 'FULL'),
            createdAt=timeutil.utcnow(), projectId=owner)
        if subsc_filter is not None:
            subsc.filter = subsc_filter
        if auth is not None:
            subsc.authentication = auth
        with db_api.writer(context) as session:
            # Look again inside the transaction: a twin request may have
            # been created while we tested the callback.
            same = _find_same(objects.LccnSubscription.get_all(
                context, session=session, projectId=owner), callback_uri,
                subsc_filter)
            if same is None:
                subsc.create(session)
        if same is not None:
            return self._see_other(base, same)
        LOG.info('Subscription %s created for %s', subsc.id,
                 callback_client.shown_uri(callback_uri))
        answer = subsc.to_api(base)
        return wsgi.SolResponse(201, answer, headers={
            'Location': answer['_links']['self']['href']})

    @staticmethod
    def _see_other(base, subsc):
        # SOL003 5.4.18.3.1: a subscription with the same callback and
        # filter already exists; point at it instead of making a twin.
        # SOL003 defines no body for this answer.
        href = subsc.to_api(base)['_links']['self']['href']
        return wsgi.SolResponse(303, headers={'Location': href})

    def index(self, request):
        base = request.base_url()
        bodies = [s.to_api(base) for s in
                  objects.LccnSubscription.get_all(request.context)]
        return query.list_response(request, bodies,
                                   CONF.v2_vnfm.subscription_page_size)

    @staticmethod
    def _get(context, subsc_id, session=None):
        return obj_base.get_or_404(
            objects.LccnSubscription, context, subsc_id,
            sol_ex.SubscriptionNotFound, session=session, subsc_id=subsc_id)

    def owner(self, context, subscriptionId):
        return self._get(context, subscriptionId).projectId

    def show(self, request, subscriptionId):
        subsc = self._get(request.context, subscriptionId)
        return wsgi.SolResponse(200, subsc.to_api(request.base_url()))

    def delete(self, request, subscriptionId):
        with db_api.writer(request.context) as session:
            subsc = self._get(request.context, subscriptionId, session)
            subsc.delete(session)
        LOG.info('Subscription %s deleted', subscriptionId)
        return wsgi.SolResponse(204)


def add_routes(router):
    ctl = SubscriptionsController()
    policy = versions.VNFLCM_V2_POLICY
    collection = '/vnflcm/v2/subscriptions'
    item = collection + '/{subscriptionId}'
    for path, method, action, rule, owner in (
            (collection, 'POST', 'create', 'subscription:create', None),
            (collection, 'GET', 'index', 'subscription:index', None),
            (item, 'GET', 'show', 'subscription:show', ctl.owner),
            (item, 'DELETE', 'delete', 'subscription:delete', ctl.owner)):
        router.add(path, method, wsgi.Resource(ctl, action, policy, rule,
                                               owner=owner))
