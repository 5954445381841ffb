"""The three PATCH formats: JSON merge patch (RFC 7386), strategic merge
patch (for the built-in types served here) and JSON patch (RFC 6902)."""
import copy

from tacker.tests.k8s_simulator import errors

MERGE_PATCH = 'application/merge-patch+json'
STRATEGIC = 'application/strategic-merge-patch+json'
JSON_PATCH = 'application/json-patch+json'

# Lists merged item by item in a strategic merge patch, by field name
# and the key that identifies an item.
_MERGE_KEYS = {
    'containers': 'name', 'initContainers': 'name',
    'ephemeralContainers': 'name', 'volumes': 'name', 'env': 'name',
    'imagePullSecrets': 'name', 'volumeMounts': 'mountPath',
    'volumeDevices': 'devicePath', 'conditions': 'type',
    'ownerReferences': 'uid', 'hostAliases': 'ip',
    'topologySpreadConstraints': 'topologyKey',
}
# Lists of scalars merged as sets.
_SET_LISTS = {'finalizers'}


def apply(content_type, original, patch):
    kind = (content_type or '').split(';')[0].strip()
    if kind == MERGE_PATCH:
        if not isinstance(patch, dict):
            raise errors.bad_request('a merge patch must be a JSON object')
        return merge_patch(original, patch)
    if kind == STRATEGIC:
        if not isinstance(patch, dict):
            raise errors.bad_request(
                'a strategic merge patch must be a JSON object')
        return strategic_merge(original, patch)
    if kind == JSON_PATCH:
        if not isinstance(patch, list):
            raise errors.bad_request('a JSON patch must be a JSON array')
        return json_patch(original, patch)
    raise errors.unsupported_media_type(kind)


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get('$patch') == 'replace':
        return {k: copy.deepcopy(v) for k, v in patch.items()
                if k != '$patch'}
    if patch.get('$patch') == 'delete':
        return None
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith('$'):
            continue  # $setElementOrder, $retainKeys: order only
        if value is None:
            result.pop(key, None)
        elif isinstance(value, list) and key in _MERGE_KEYS:
            result[key] = _merge_list(result.get(key) or [], value,
                                      _MERGE_KEYS[key])
        elif isinstance(value, list) and key == 'ports':
            sample = value[0] if value else {}
            merge_key = ('containerPort' if 'containerPort' in sample
                         else 'port')
            result[key] = _merge_list(result.get(key) or [], value,
                                      merge_key)
        elif isinstance(value, list) and key in _SET_LISTS:
            merged = list(result.get(key) or [])
            merged += [v for v in value if v not in merged]
            result[key] = merged
        elif isinstance(value, dict):
            merged = strategic_merge(result.get(key), value)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
        else:
            result[key] = copy.deepcopy(value)
    return result


def _merge_list(original, patch, merge_key):
    if any(isinstance(p, dict) and p.get('$patch') == 'replace'
           for p in patch):
        return [copy.deepcopy(p) for p in patch
                if not (isinstance(p, dict) and '$patch' in p)]
    result = copy.deepcopy(original)
    for item in patch:
        if not isinstance(item, dict) or merge_key not in item:
            raise errors.bad_request(
                'map: %r does not contain declared merge key: %s'
                % (item, merge_key))
        index = [i for i, o in enumerate(result)
                 if isinstance(o, dict) and o.get(merge_key) ==
                 item[merge_key]]
        if item.get('$patch') == 'delete':
            for i in reversed(index):
                del result[i]
        elif index:
            result[index[0]] = strategic_merge(result[index[0]], item)
        else:
            result.append(strategic_merge({}, item))
    return result


def _pointer(path):
    if path == '':
        return []
    if not path.startswith('/'):
        raise errors.bad_request('invalid JSON pointer: %r' % path)
    return [p.replace('~1', '/').replace('~0', '~')
            for p in path[1:].split('/')]


def _parent(doc, tokens):
    for token in tokens[:-1]:
        doc = _child(doc, token)
    return doc


def _child(doc, token):
    try:
        if isinstance(doc, list):
            return doc[int(token)]
        return doc[token]
    except (KeyError, IndexError, ValueError, TypeError):
        raise errors.ApiError(
            422, 'Invalid', 'the server rejected our request due to an '
            'error in our request: path not found: %s' % token)


def _add(doc, tokens, value):
    parent = _parent(doc, tokens)
    last = tokens[-1]
    if isinstance(parent, list):
        if last == '-':
            parent.append(value)
        else:
            parent.insert(int(last), value)
    else:
        parent[last] = value


def _remove(doc, tokens):
    parent = _parent(doc, tokens)
    value = _child(parent, tokens[-1])
    if isinstance(parent, list):
        del parent[int(tokens[-1])]
    else:
        del parent[tokens[-1]]
    return value


def json_patch(document, operations):
    doc = copy.deepcopy(document)
    for op in operations:
        name = op.get('op')
        tokens = _pointer(op.get('path', ''))
        if not tokens:
            raise errors.bad_request('cannot patch the whole document')
        if name == 'add':
            _add(doc, tokens, copy.deepcopy(op.get('value')))
        elif name == 'remove':
            _remove(doc, tokens)
        elif name == 'replace':
            _remove(doc, tokens)
            _add(doc, tokens, copy.deepcopy(op.get('value')))
        elif name in ('move', 'copy'):
            source = _pointer(op.get('from', ''))
            value = (_remove(doc, source) if name == 'move'
                     else copy.deepcopy(_child(_parent(doc, source),
                                               source[-1])))
            _add(doc, tokens, value)
        elif name == 'test':
            if _child(_parent(doc, tokens), tokens[-1]) != op.get('value'):
                raise errors.ApiError(
                    422, 'Invalid', 'the server rejected our request due '
                    'to an error in our request: testing value %s failed'
                    % op.get('path'))
        else:
            raise errors.bad_request('unknown JSON patch operation %r'
                                     % name)
    return doc
