"""Request bodies of /vnfpkgm/v1/vnf_packages (SOL005 9.5.2)."""
from tacker.sol_refactored.api.schemas import common_types

# SOL005 9.5.2.2: userDefinedData is the only attribute. Unknown ones are
# refused so that a misspelt attribute is not silently dropped.
CreateVnfPkgInfoRequest = {
    'type': 'object',
    'properties': {
        'userDefinedData': common_types.KeyValuePairs,
    },
    'additionalProperties': False,
}

# SOL005 9.5.2.3: at least one of the two attributes. In a merge patch a
# null value removes a key of userDefinedData, so nulls are allowed inside
# it but not for the whole attribute.
VnfPkgInfoModifications = {
    'type': 'object',
    'properties': {
        'operationalState': {'type': 'string',
                             'enum': ['ENABLED', 'DISABLED']},
        'userDefinedData': common_types.KeyValuePairs,
    },
    'additionalProperties': False,
    'minProperties': 1,
}
