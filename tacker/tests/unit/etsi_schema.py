"""Check bodies against the official ETSI SOL003 YAML definitions.

The files are read from ``$TACKER_ETSI_DIR`` or ``../shared/etsi`` beside
the checkout; where they are absent the checks skip. Known errors of the
files (their README) are repaired in memory, never in the files.
"""
import os
import pathlib
import warnings

import jsonschema
import referencing
import referencing.jsonschema
import yaml

_HERE = pathlib.Path(__file__).resolve()
SOL003 = 'SOL002-SOL003/src/SOL003'
LCM_DEFS = SOL003 + ('/VNFLifecycleManagement/definitions/'
                     'SOL003VNFLifecycleManagement_def.yaml')
NOTIFICATION_DEFS = SOL003 + (
    '/VNFLifecycleManagementNotification/definitions/'
    'SOL003VNFLifecycleManagementNotification_def.yaml')
GENERAL_DEFS = SOL003 + '/General_Definitions/SOL003_def.yaml'


def etsi_dir():
    candidates = [os.environ.get('TACKER_ETSI_DIR')]
    candidates += [str(parent.parent / 'shared' / 'etsi')
                   for parent in _HERE.parents]
    for candidate in candidates:
        if candidate and os.path.isdir(os.path.join(candidate, SOL003)):
            return candidate
    return None


def _repair(path, document):
    if path.endswith('SOL003_def.yaml'):
        # README: the alternatives are all optional.
        document['definitions']['VnfInstanceSubscriptionFilter'].pop(
            'anyOf', None)
    return document


class EtsiSchemas:
    def __init__(self, root):
        self.root = pathlib.Path(root).resolve()
        self._registry = referencing.Registry(retrieve=self._retrieve)

    def _retrieve(self, uri):
        path = uri[len('file://'):]
        with open(path) as f:
            document = _repair(path, yaml.safe_load(f))
        return referencing.Resource.from_contents(
            document, default_specification=referencing.jsonschema.DRAFT4)

    def validate(self, relative_file, definition, instance):
        uri = 'file://%s' % (self.root / relative_file)
        schema = {'$ref': '%s#/definitions/%s' % (uri, definition)}
        validator = jsonschema.Draft4Validator(
            schema, registry=self._registry,
            format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
        validator.validate(instance)


_SCHEMAS = None
_WARNED = False


def check(relative_file, definition, body):
    """Validate ``body``; only a warning when the ETSI files are absent."""
    global _SCHEMAS, _WARNED
    if _SCHEMAS is None:
        root = etsi_dir()
        if root is None:
            if not _WARNED:
                _WARNED = True
                warnings.warn('ETSI OpenAPI files not found (set '
                              'TACKER_ETSI_DIR); conformance checks skipped')
            return
        _SCHEMAS = EtsiSchemas(root)
    _SCHEMAS.validate(relative_file, definition, body)
