"""API errors and the Status bodies the API server answers with."""


def status_body(code, reason, message, details=None):
    body = {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {},
            'status': 'Failure', 'message': message, 'reason': reason,
            'code': code}
    if details is not None:
        body['details'] = details
    return body


class ApiError(Exception):
    """An error answered to the client as a Status body."""

    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details

    def body(self):
        return status_body(self.code, self.reason, self.message,
                           self.details)


def _details(res, name):
    details = {'name': name, 'kind': res.name}
    if res.group:
        details['group'] = res.group
    return details


def not_found(res, name):
    return ApiError(404, 'NotFound',
                    '%s "%s" not found' % (res.qualified, name),
                    _details(res, name))


def already_exists(res, name):
    return ApiError(409, 'AlreadyExists',
                    '%s "%s" already exists' % (res.qualified, name),
                    _details(res, name))


def forbidden(res, name, why):
    return ApiError(403, 'Forbidden',
                    '%s "%s" is forbidden: %s' % (res.qualified, name, why),
                    _details(res, name))


def conflict(res, name):
    return ApiError(
        409, 'Conflict',
        'Operation cannot be fulfilled on %s "%s": the object has been '
        'modified; please apply your changes to the latest version and '
        'try again' % (res.qualified, name), _details(res, name))


def invalid(res, name, causes):
    """causes: list of (field, message) pairs."""
    text = ', '.join('%s: %s' % (field, msg) for field, msg in causes)
    if len(causes) > 1:
        text = '[%s]' % text
    details = {'name': name, 'kind': res.kind,
               'causes': [{'reason': _cause_reason(msg), 'message': msg,
                           'field': field} for field, msg in causes]}
    if res.group:
        details['group'] = res.group
    kind = res.kind + ('.' + res.group if res.group else '')
    return ApiError(422, 'Invalid',
                    '%s "%s" is invalid: %s' % (kind, name, text), details)


def _cause_reason(msg):
    if msg.startswith('Required value'):
        return 'FieldValueRequired'
    if msg.startswith('Unsupported value'):
        return 'FieldValueNotSupported'
    return 'FieldValueInvalid'


def bad_request(message):
    return ApiError(400, 'BadRequest', message)


def unauthorized():
    return ApiError(401, 'Unauthorized', 'Unauthorized')


def expired(message):
    return ApiError(410, 'Expired', message)


def method_not_allowed():
    return ApiError(405, 'MethodNotAllowed',
                    'the server does not allow this method on the '
                    'requested resource')


def unsupported_media_type(content_type):
    return ApiError(415, 'UnsupportedMediaType',
                    'the body of the request was in an unknown format - '
                    'accepted media types include: '
                    'application/json-patch+json, '
                    'application/merge-patch+json, '
                    'application/strategic-merge-patch+json')


def path_not_found():
    return ApiError(404, 'NotFound',
                    'the server could not find the requested resource')
