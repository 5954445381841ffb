"""LccnSubscriptionRequest (SOL003 v3.3.1 5.5.2.15) and its parts.

Filter objects refuse attributes they do not know: a misspelt filter
attribute (``vnfdId`` for ``vnfdIds``) would otherwise widen the
subscription without the subscriber noticing.
"""
from tacker.sol_refactored.api.schemas import common_types as t

NOTIFICATION_TYPES = ['VnfLcmOperationOccurrenceNotification',
                      'VnfIdentifierCreationNotification',
                      'VnfIdentifierDeletionNotification']

OPERATION_TYPES = ['INSTANTIATE', 'SCALE', 'SCALE_TO_LEVEL', 'CHANGE_FLAVOUR',
                   'TERMINATE', 'HEAL', 'OPERATE', 'CHANGE_EXT_CONN',
                   'MODIFY_INFO', 'CREATE_SNAPSHOT', 'REVERT_TO_SNAPSHOT',
                   'CHANGE_VNFPKG']

OPERATION_STATES = ['STARTING', 'PROCESSING', 'COMPLETED', 'FAILED_TEMP',
                    'FAILED', 'ROLLING_BACK', 'ROLLED_BACK']

AUTH_TYPES = ['BASIC', 'OAUTH2_CLIENT_CREDENTIALS', 'TLS_CERT']

_Version = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_NonEmptyString = {'type': 'string', 'minLength': 1, 'maxLength': 4096}


def _array_of(items):
    return {'type': 'array', 'items': items, 'minItems': 1}


_VnfProductVersion = {
    'type': 'object',
    'properties': {
        'vnfSoftwareVersion': _Version,
        'vnfdVersions': _array_of(_Version),
    },
    'required': ['vnfSoftwareVersion'],
    'additionalProperties': False,
}

_VnfProduct = {
    'type': 'object',
    'properties': {
        'vnfProductName': _NonEmptyString,
        'versions': _array_of(_VnfProductVersion),
    },
    'required': ['vnfProductName'],
    'additionalProperties': False,
}

_VnfProductsFromProvider = {
    'type': 'object',
    'properties': {
        'vnfProvider': _NonEmptyString,
        'vnfProducts': _array_of(_VnfProduct),
    },
    'required': ['vnfProvider'],
    'additionalProperties': False,
}

VnfInstanceSubscriptionFilter = {
    'type': 'object',
    'properties': {
        'vnfdIds': _array_of(t.Identifier),
        'vnfProductsFromProviders': _array_of(_VnfProductsFromProvider),
        'vnfInstanceIds': _array_of(t.Identifier),
        'vnfInstanceNames': _array_of({'type': 'string', 'maxLength': 255}),
    },
    'additionalProperties': False,
}

LifecycleChangeNotificationsFilter = {
    'type': 'object',
    'properties': {
        'vnfInstanceSubscriptionFilter': VnfInstanceSubscriptionFilter,
        'notificationTypes': _array_of(
            {'type': 'string', 'enum': NOTIFICATION_TYPES}),
        'operationTypes': _array_of(
            {'type': 'string', 'enum': OPERATION_TYPES}),
        'operationStates': _array_of(
            {'type': 'string', 'enum': OPERATION_STATES}),
    },
    'additionalProperties': False,
}

SubscriptionAuthentication = {
    'type': 'object',
    'properties': {
        'authType': {'type': 'array', 'minItems': 1, 'uniqueItems': True,
                     'items': {'type': 'string', 'enum': AUTH_TYPES}},
        'paramsBasic': {
            'type': 'object',
            'properties': {
                'userName': {'type': 'string', 'minLength': 1,
                             'maxLength': 255},
                'password': {'type': 'string', 'minLength': 1,
                             'maxLength': 255},
            },
            'additionalProperties': False,
        },
        'paramsOauth2ClientCredentials': {
            'type': 'object',
            'properties': {
                'clientId': {'type': 'string', 'minLength': 1,
                             'maxLength': 255},
                'clientPassword': {'type': 'string', 'minLength': 1,
                                   'maxLength': 255},
                'tokenEndpoint': t.Uri,
            },
            'additionalProperties': False,
        },
    },
    'required': ['authType'],
    'additionalProperties': False,
}

LccnSubscriptionRequest = {
    'type': 'object',
    'properties': {
        'filter': LifecycleChangeNotificationsFilter,
        'callbackUri': t.Uri,
        'authentication': SubscriptionAuthentication,
        'verbosity': {'type': 'string', 'enum': ['FULL', 'SHORT']},
    },
    'required': ['callbackUri'],
    'additionalProperties': False,
}
