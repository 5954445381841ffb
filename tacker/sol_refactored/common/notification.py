"""VNF LCM notifications (SOL003 5.5.2.17-19) to subscribers.

Delivery happens in background threads with retries; nothing here ever
blocks or fails an LCM operation.
"""
import socket
import uuid

from oslo_log import log as logging

from tacker.sol_refactored.common import config
from tacker.sol_refactored.common import delivery
from tacker.sol_refactored.common import subscription_filter
from tacker.sol_refactored.common import timeutil
from tacker.sol_refactored import objects
from tacker.sol_refactored.objects import fields
from tacker.sol_refactored.objects import vnf_instance

LOG = logging.getLogger(__name__)
CONF = config.CONF
S = fields.LcmOperationStateField

LCMOCC = 'VnfLcmOperationOccurrenceNotification'
CREATION = 'VnfIdentifierCreationNotification'
DELETION = 'VnfIdentifierDeletionNotification'

START_STATES = (S.STARTING, S.PROCESSING, S.ROLLING_BACK)
ERROR_STATES = (S.FAILED_TEMP, S.FAILED, S.ROLLED_BACK)

_RESOURCE_CHANGES = ('affectedVnfcs', 'affectedVirtualLinks',
                     'affectedExtLinkPorts', 'affectedVirtualStorages')
# SOL003 ModificationsTriggeredByVnfPkgChange: what CHANGE_VNFPKG reports
# instead of changedInfo.
_PKG_CHANGE_ATTRS = ('vnfConfigurableProperties', 'metadata', 'extensions',
                     'vnfdId', 'vnfProvider', 'vnfProductName',
                     'vnfSoftwareVersion', 'vnfdVersion', 'vimConnectionInfo')


def base_url():
    """Where subscribers reach this API; the conductor has no request."""
    if CONF.public_endpoint:
        return CONF.public_endpoint.rstrip('/')
    host = CONF.bind_host
    if host in ('0.0.0.0', '::', ''):
        # A wildcard address is no place to send a client.
        host = socket.getfqdn()
    if ':' in host:
        host = '[%s]' % host
    return 'http://%s:%s' % (host, CONF.bind_port)


def _timestamp():
    return fields._DateTime.to_api(timeutil.utcnow())


def _links(url, subsc_id, inst_id, lcmocc_id=None):
    links = {
        'vnfInstance': {'href': '%s/vnflcm/v2/vnf_instances/%s' % (
            url, inst_id)},
        'subscription': {'href': '%s/vnflcm/v2/subscriptions/%s' % (
            url, subsc_id)},
    }
    if lcmocc_id:
        links['vnfLcmOpOcc'] = {'href': '%s/vnflcm/v2/vnf_lcm_op_occs/%s' % (
            url, lcmocc_id)}
    return links


def _without_secrets(info):
    if info and info.get('vimConnectionInfo'):
        info = dict(info)
        info['vimConnectionInfo'] = vnf_instance.redact_access_info(
            info['vimConnectionInfo'])
    return info


def _full_details(lcmocc):
    """The RESULT attributes a FULL notification carries, where present."""
    details = {}
    changes = lcmocc.obj_get('resourceChanges')
    if changes is not None:
        changes = changes.to_dict()
        for key in _RESOURCE_CHANGES:
            if changes.get(key):
                details[key] = changes[key]
    changed_info = lcmocc.obj_get('changedInfo')
    if changed_info is not None:
        changed_info = _without_secrets(
            {k: v for k, v in changed_info.to_dict().items()
             if v is not None})
        if lcmocc.operation == fields.LcmOperationTypeField.CHANGE_VNFPKG:
            changed_info = {k: v for k, v in changed_info.items()
                            if k in _PKG_CHANGE_ATTRS}
            if changed_info:
                details['modificationsTriggeredByVnfPkgChange'] = \
                    changed_info
        elif changed_info:
            details['changedInfo'] = changed_info
    if lcmocc.obj_get('changedExtConnectivity'):
        details['changedExtConnectivity'] = lcmocc.changedExtConnectivity
    return details


def lcmocc_body(lcmocc, subsc, notification_id, url, time_stamp):
    """VnfLcmOperationOccurrenceNotification for one subscription."""
    status = 'START' if lcmocc.operationState in START_STATES else 'RESULT'
    body = {
        'id': notification_id,
        'notificationType': LCMOCC,
        'subscriptionId': subsc.id,
        'timeStamp': time_stamp,
        'notificationStatus': status,
        'operationState': lcmocc.operationState,
        'vnfInstanceId': lcmocc.vnfInstanceId,
        'operation': lcmocc.operation,
        'isAutomaticInvocation': lcmocc.isAutomaticInvocation,
        'verbosity': subsc.verbosity,
        'vnfLcmOpOccId': lcmocc.id,
        '_links': _links(url, subsc.id, lcmocc.vnfInstanceId, lcmocc.id),
    }
    if status == 'RESULT' and subsc.verbosity == 'FULL':
        body.update(_full_details(lcmocc))
    # SOL003 wants the error in these states whatever the verbosity: it is
    # small and it is what the subscriber must act on.
    if lcmocc.operationState in ERROR_STATES and lcmocc.obj_get('error'):
        body['error'] = lcmocc.error.to_dict()
    return body


def identifier_body(notification_type, inst_id, subsc, notification_id,
                    url, time_stamp):
    return {
        'id': notification_id,
        'notificationType': notification_type,
        'subscriptionId': subsc.id,
        'timeStamp': time_stamp,
        'vnfInstanceId': inst_id,
        '_links': _links(url, subsc.id, inst_id),
    }


def _matching(context, notification_type, inst, lcmocc=None):
    # Only the subscriptions of the instance's project hear about it (an
    # op occ has its instance's project); admins' subscriptions are no
    # exception, so nothing of a project leaks into another one.
    owner = (lcmocc if lcmocc is not None else inst).obj_get('projectId')
    subscriptions = objects.LccnSubscription.get_all(context,
                                                     projectId=owner)
    return [subsc for subsc in subscriptions
            if subscription_filter.matches(subsc.obj_get('filter'),
                                           notification_type, inst, lcmocc)]


def _queue(subsc, body):
    delivery.submit(delivery.Delivery(
        subsc.id, subsc.callbackUri, subsc.obj_get('authentication'), body))


def notify_lcmocc(context, lcmocc, inst):
    """Queue VnfLcmOperationOccurrenceNotification for matching subscribers.

    ``lcmocc`` is the occurrence in the state just entered; ``inst`` the
    instance as the subscribers should see it (filters use its vnfdId,
    provider, product and name).
    """
    try:
        # One id for every copy of one event (SOL003 5.5.2.17 "id").
        notification_id = str(uuid.uuid4())
        url, time_stamp = base_url(), _timestamp()
        for subsc in _matching(context, LCMOCC, inst, lcmocc):
            _queue(subsc, lcmocc_body(lcmocc, subsc, notification_id, url,
                                      time_stamp))
    except Exception:
        LOG.exception('Notifications about LCM operation %s (%s) could not '
                      'be queued', lcmocc.id, lcmocc.operationState)


def notify_vnf_identifier(context, inst, notification_type):
    """Queue VnfIdentifierCreationNotification or ...DeletionNotification."""
    try:
        if notification_type not in (CREATION, DELETION):
            raise ValueError('not an identifier notification: %s' %
                             notification_type)
        notification_id = str(uuid.uuid4())
        url, time_stamp = base_url(), _timestamp()
        for subsc in _matching(context, notification_type, inst):
            _queue(subsc, identifier_body(notification_type, inst.id, subsc,
                                          notification_id, url, time_stamp))
    except Exception:
        LOG.exception('%s about VNF instance %s could not be queued',
                      notification_type, inst.id)


def wait_idle(timeout):
    """Wait until every queued notification is delivered or dropped."""
    return delivery.wait_idle(timeout)
