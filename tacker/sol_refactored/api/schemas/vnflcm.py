"""Request bodies of /vnflcm/v2 (SOL003 v3.3.1 clause 5.5.2)."""
from tacker.sol_refactored.api.schemas import common_types as t

CreateVnfRequest = {
    'type': 'object',
    'properties': {
        'vnfdId': t.Identifier,
        'vnfInstanceName': {'type': 'string', 'maxLength': 255},
        'vnfInstanceDescription': {'type': 'string', 'maxLength': 1024},
        'metadata': t.KeyValuePairs,
    },
    'required': ['vnfdId'],
    'additionalProperties': True,
}

InstantiateVnfRequest = {
    'type': 'object',
    'properties': {
        'flavourId': t.IdentifierInVnfd,
        'instantiationLevelId': t.IdentifierInVnfd,
        'extVirtualLinks': {'type': 'array', 'items': t.ExtVirtualLinkData},
        'extManagedVirtualLinks': {'type': 'array',
                                   'items': t.ExtManagedVirtualLinkData},
        'vimConnectionInfo': t.VimConnectionInfoMap,
        'localizationLanguage': {'type': 'string'},
        'additionalParams': t.KeyValuePairs,
        'extensions': t.KeyValuePairs,
        'vnfConfigurableProperties': t.KeyValuePairs,
    },
    'required': ['flavourId'],
    'additionalProperties': True,
}

TerminateVnfRequest = {
    'type': 'object',
    'properties': {
        'terminationType': {'type': 'string',
                            'enum': ['FORCEFUL', 'GRACEFUL']},
        'gracefulTerminationTimeout': {'type': 'integer', 'minimum': 0},
        'additionalParams': t.KeyValuePairs,
    },
    'required': ['terminationType'],
    'additionalProperties': True,
}
