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

_VnfcParam = {
    'type': 'object',
    'properties': {
        'cp_name': {'type': 'string', 'minLength': 1},
        'username': {'type': 'string'},
        'password': {'type': 'string'},
    },
    'required': ['cp_name'],
}

_VduParam = {
    'type': 'object',
    'properties': {
        'vdu_id': {'type': 'string', 'minLength': 1},
        'old_vnfc_param': _VnfcParam,
        'new_vnfc_param': _VnfcParam,
    },
    'required': ['vdu_id'],
}

ChangeCurrentVnfPkgAdditionalParams = {
    'type': 'object',
    'properties': {
        'upgrade_type': {'type': 'string'},
        'lcm-operation-coordinate-old-vnf': {'type': 'string'},
        'lcm-operation-coordinate-old-vnf-class': {'type': 'string'},
        'lcm-operation-coordinate-new-vnf': {'type': 'string'},
        'lcm-operation-coordinate-new-vnf-class': {'type': 'string'},
        # A list; a single object is accepted too and read as a list of one.
        'vdu_params': {'oneOf': [{'type': 'array', 'items': _VduParam},
                                 _VduParam]},
        'external_lb_param': {
            'type': 'object',
            'properties': {
                'ip_address': {'type': 'string', 'minLength': 1},
                'username': {'type': 'string'},
                'password': {'type': 'string'},
            },
            'required': ['ip_address'],
        },
        'lcm-kubernetes-def-files': {
            'type': 'array', 'items': {'type': 'string', 'minLength': 1}},
    },
    'required': ['upgrade_type'],
}

ChangeCurrentVnfPkgRequest = {
    'type': 'object',
    'properties': {
        'vnfdId': t.Identifier,
        'extVirtualLinks': {'type': 'array', 'items': t.ExtVirtualLinkData},
        'extManagedVirtualLinks': {'type': 'array',
                                   'items': t.ExtManagedVirtualLinkData},
        'vimConnectionInfo': t.VimConnectionInfoMap,
        'additionalParams': ChangeCurrentVnfPkgAdditionalParams,
        'extensions': t.KeyValuePairs,
        'vnfConfigurableProperties': t.KeyValuePairs,
    },
    'required': ['vnfdId', 'additionalParams'],
    'additionalProperties': True,
}
