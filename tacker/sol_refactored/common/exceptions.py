"""Errors that reach an API client as a ProblemDetails (SOL013 6.3).

Each class fixes the HTTP status and title; the message is the ``detail``
a person reads, so it must say what was wrong and, where possible, what to
do about it.
"""


class SolException(Exception):
    status = 500
    title = 'Internal Server Error'
    message = 'An unexpected error occurred.'

    def __init__(self, message=None, **kwargs):
        if message is None:
            try:
                message = self.message % kwargs
            except (KeyError, TypeError):
                message = self.message
        self.detail = message
        super().__init__(message)

    def problem_details(self):
        return {'status': self.status, 'title': self.title,
                'detail': self.detail}


class BadRequest(SolException):
    status = 400
    title = 'Bad Request'
    message = 'The request is not valid.'


class InvalidJson(BadRequest):
    message = 'The request body is not valid JSON: %(error)s'


class SchemaValidationError(BadRequest):
    message = 'The request body is not valid: %(error)s'


class InvalidQuery(BadRequest):
    message = 'The query parameter %(name)s is not valid: %(error)s'


class VersionMissing(BadRequest):
    message = ('The Version header is required by this API; send, for '
               'example, "Version: %(example)s".')


class Unauthorized(SolException):
    status = 401
    title = 'Unauthorized'
    message = 'Authentication is required.'


class Forbidden(SolException):
    status = 403
    title = 'Forbidden'
    message = 'Policy does not allow %(action)s to be performed.'


class NotFound(SolException):
    status = 404
    title = 'Not Found'
    message = 'The resource was not found.'


class VnfInstanceNotFound(NotFound):
    message = 'VNF instance %(inst_id)s does not exist.'


class LcmOpOccNotFound(NotFound):
    message = 'VNF LCM operation occurrence %(lcmocc_id)s does not exist.'


class SubscriptionNotFound(NotFound):
    message = 'Subscription %(subsc_id)s does not exist.'


class VnfPackageNotFound(NotFound):
    message = 'VNF package %(pkg_id)s does not exist.'


class VnfdIdNotFound(NotFound):
    message = ('No VNF package has vnfdId %(vnfd_id)s; on-board the package '
               'holding that VNFD first.')


class MethodNotAllowed(SolException):
    status = 405
    title = 'Method Not Allowed'
    message = 'Method %(method)s is not supported on %(path)s.'


class NotAcceptable(SolException):
    status = 406
    title = 'Not Acceptable'
    message = 'The server cannot answer in any of the accepted media types.'


class VersionNotSupported(NotAcceptable):
    message = ('API version %(version)s is not supported here; supported: '
               '%(supported)s.')


class Conflict(SolException):
    status = 409
    title = 'Conflict'
    message = 'The request conflicts with the state of the resource.'


class OtherOperationInProgress(Conflict):
    message = ('VNF instance %(inst_id)s has LCM operation %(lcmocc_id)s in '
               'progress; complete, roll back or fail it first.')


class UnsupportedMediaType(SolException):
    status = 415
    title = 'Unsupported Media Type'
    message = 'Content-Type %(content_type)s is not supported; use %(want)s.'


class PayloadTooLarge(SolException):
    status = 413
    title = 'Payload Too Large'
    message = ('The request body (%(size)s bytes) is larger than the limit '
               'of %(limit)s bytes.')


class UnprocessableEntity(SolException):
    status = 422
    title = 'Unprocessable Entity'
    message = 'The request is well formed but cannot be processed.'


class VnfPackageNotUsable(UnprocessableEntity):
    message = ('The VNF package %(pkg_id)s with vnfdId %(vnfd_id)s cannot be '
               'used: %(reason)s.')


class ServiceUnavailable(SolException):
    status = 503
    title = 'Service Unavailable'
    message = 'The service cannot handle the request now.'


class PluginLoadError(Exception):
    """A configured plugin is missing or broken; raised at start-up."""
