"""Schema pieces shared by the request bodies (SOL013/SOL003 types)."""

Identifier = {'type': 'string', 'minLength': 1, 'maxLength': 255}
IdentifierInVnfd = Identifier
Uuid = {'type': 'string', 'format': 'uuid'}
String = {'type': 'string', 'maxLength': 4096}
Uri = {'type': 'string', 'minLength': 1, 'maxLength': 2048}
KeyValuePairs = {'type': 'object'}
Boolean = {'type': 'boolean'}

VimConnectionInfo = {
    'type': 'object',
    'properties': {
        'vimId': Identifier,
        'vimType': {'type': 'string', 'minLength': 1},
        'interfaceInfo': KeyValuePairs,
        'accessInfo': KeyValuePairs,
        'extra': KeyValuePairs,
    },
    'required': ['vimType'],
}

VimConnectionInfoMap = {
    'type': 'object',
    'additionalProperties': VimConnectionInfo,
}

# The connectivity data types are large; their structure is checked where
# they are used, the schema keeps them to the right JSON shape.
ExtVirtualLinkData = {
    'type': 'object',
    'properties': {
        'id': Identifier,
        'vimConnectionId': Identifier,
        'resourceProviderId': Identifier,
        'resourceId': Identifier,
        'extCps': {'type': 'array', 'items': {'type': 'object'}},
        'extLinkPorts': {'type': 'array', 'items': {'type': 'object'}},
    },
    'required': ['id', 'resourceId', 'extCps'],
}

ExtManagedVirtualLinkData = {
    'type': 'object',
    'properties': {
        'id': Identifier,
        'vnfVirtualLinkDescId': Identifier,
        'vimConnectionId': Identifier,
        'resourceProviderId': Identifier,
        'resourceId': Identifier,
        'vnfLinkPort': {'type': 'array', 'items': {'type': 'object'}},
        'extManagedMultisiteVirtualLinkId': Identifier,
    },
    'required': ['id', 'vnfVirtualLinkDescId', 'resourceId'],
}
