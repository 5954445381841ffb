"""JSON-schema validation of request bodies.

A refusal names the attribute (its path in the body) and the rule it
breaks, never the value it holds: the value may be a password, a token
or megabytes of text.
"""
import jsonschema

from tacker.sol_refactored.api import bounded_input
from tacker.sol_refactored.common import exceptions as sol_ex

_RULES = {
    'type': lambda v: 'must be of type %s' % (
        ' or '.join(v) if isinstance(v, list) else v),
    'enum': lambda v: 'must be one of %s' % ', '.join(
        bounded_input.echo(i) for i in v),
    'const': lambda v: 'must be %s' % bounded_input.echo(v),
    'pattern': lambda v: 'must match the pattern %s' % v,
    'format': lambda v: 'must be a valid %s' % v,
    'minLength': lambda v: 'must be at least %s characters long' % v,
    'maxLength': lambda v: 'must be at most %s characters long' % v,
    'minimum': lambda v: 'must be at least %s' % v,
    'maximum': lambda v: 'must be at most %s' % v,
    'exclusiveMinimum': lambda v: 'must be more than %s' % v,
    'exclusiveMaximum': lambda v: 'must be less than %s' % v,
    'minItems': lambda v: 'must have at least %s items' % v,
    'maxItems': lambda v: 'must have at most %s items' % v,
    'uniqueItems': lambda v: 'must not repeat an item',
    'minProperties': lambda v: 'must have at least %s attributes' % v,
    'maxProperties': lambda v: 'must have at most %s attributes' % v,
}


def _path(error):
    parts = [str(p) for p in error.absolute_path]
    return '/'.join(parts) if parts else '(body)'


def describe(error):
    """'<path>: <rule>' for a jsonschema error, without the value."""
    where = bounded_input.echo(_path(error))
    rule = _RULES.get(error.validator)
    if rule is not None:
        return '%s: %s' % (where, rule(error.validator_value))
    if error.validator in ('required', 'additionalProperties',
                           'dependencies', 'dependentRequired'):
        # These messages name attribute names, which the schema or the
        # client chose as keys; they hold no value.
        return '%s: %s' % (where, bounded_input.echo(error.message))
    return '%s: does not satisfy the schema rule %s' % (where,
                                                        error.validator)


def validate(schema, body):
    """Raise a 400 ProblemDetails naming the first wrong attribute."""
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(body),
                    key=lambda e: (len(list(e.absolute_path)), e.path))
    if errors:
        raise sol_ex.SchemaValidationError(error=describe(errors[0]))
    return body
