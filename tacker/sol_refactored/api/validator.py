"""JSON-schema validation of request bodies."""
import jsonschema

from tacker.sol_refactored.common import exceptions as sol_ex


def _path(error):
    parts = [str(p) for p in error.absolute_path]
    return '/'.join(parts) if parts else '(body)'


def validate(schema, body):
    """Raise a 400 ProblemDetails naming the first wrong attribute."""
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(body),
                    key=lambda e: (len(list(e.absolute_path)), e.path))
    if errors:
        error = errors[0]
        raise sol_ex.SchemaValidationError(
            error='%s: %s' % (_path(error), error.message))
    return body
