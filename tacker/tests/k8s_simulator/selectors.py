"""Label selectors (query strings and LabelSelector objects) and field
selectors."""
import re

from tacker.tests.k8s_simulator import errors

_REQ = re.compile(
    r'^\s*(?P<neg>!)?\s*(?P<key>[A-Za-z0-9_./-]+)\s*'
    r'(?:(?P<op>==|=|!=|\s+in\s+|\s+notin\s+)\s*(?P<value>.*?))?\s*$')


def _split(text):
    """Split at commas that are not inside parentheses."""
    parts, depth, cur = [], 0, ''
    for ch in text:
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        if ch == ',' and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += ch
    parts.append(cur)
    return [p for p in parts if p.strip()]


def parse_label_selector(text):
    """A predicate over a label map, from a ``labelSelector`` string."""
    reqs = []
    for part in _split(text or ''):
        m = _REQ.match(part)
        if not m:
            raise errors.bad_request(
                'unable to parse requirement: %r' % part.strip())
        key, op, value = m.group('key'), m.group('op'), m.group('value')
        if m.group('neg'):
            if op:
                raise errors.bad_request(
                    'unable to parse requirement: %r' % part.strip())
            reqs.append(('!', key, None))
            continue
        if op is None:
            reqs.append(('exists', key, None))
            continue
        op = op.strip()
        if op in ('in', 'notin'):
            value = value.strip()
            if not (value.startswith('(') and value.endswith(')')):
                raise errors.bad_request(
                    'unable to parse requirement: %r' % part.strip())
            values = {v.strip() for v in value[1:-1].split(',')
                      if v.strip()}
            reqs.append((op, key, values))
        else:
            reqs.append(('!=' if op == '!=' else '=', key, value.strip()))
    return lambda labels: all(_holds(r, labels or {}) for r in reqs)


def _holds(req, labels):
    op, key, value = req
    if op == 'exists':
        return key in labels
    if op == '!':
        return key not in labels
    if op == '=':
        return labels.get(key) == value
    if op == '!=':
        return labels.get(key) != value
    if op == 'in':
        return labels.get(key) in value
    return labels.get(key) not in value  # notin


def selector_matches(selector, labels):
    """Does a LabelSelector object (matchLabels/matchExpressions) match?"""
    if not selector:
        return False
    labels = labels or {}
    for key, value in (selector.get('matchLabels') or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get('matchExpressions') or []:
        key, op = expr.get('key'), expr.get('operator')
        values = set(expr.get('values') or [])
        if op == 'In' and labels.get(key) not in values:
            return False
        if op == 'NotIn' and key in labels and labels[key] in values:
            return False
        if op == 'Exists' and key not in labels:
            return False
        if op == 'DoesNotExist' and key in labels:
            return False
    return True


def selector_string(selector):
    """A LabelSelector object as a query string (for Scale status)."""
    parts = ['%s=%s' % kv
             for kv in sorted((selector.get('matchLabels') or {}).items())]
    for expr in selector.get('matchExpressions') or []:
        op, key = expr['operator'], expr['key']
        values = ','.join(sorted(expr.get('values') or []))
        parts.append({'In': '%s in (%s)' % (key, values),
                      'NotIn': '%s notin (%s)' % (key, values),
                      'Exists': key,
                      'DoesNotExist': '!' + key}[op])
    return ','.join(parts)


_FIELDS = {
    'metadata.name': lambda o: o['metadata'].get('name'),
    'metadata.namespace': lambda o: o['metadata'].get('namespace', ''),
}
_POD_FIELDS = {
    'status.phase': lambda o: (o.get('status') or {}).get('phase', ''),
    'spec.nodeName': lambda o: (o.get('spec') or {}).get('nodeName', ''),
}


def parse_field_selector(text, res):
    fields = dict(_FIELDS)
    if res.kind == 'Pod':
        fields.update(_POD_FIELDS)
    reqs = []
    for part in _split(text or ''):
        m = re.match(r'^\s*([A-Za-z.]+)\s*(==|=|!=)\s*(.*?)\s*$', part)
        if not m:
            raise errors.bad_request(
                'invalid selector: %r; can\'t understand %r'
                % (text, part))
        field, op, value = m.groups()
        if field not in fields:
            raise errors.bad_request(
                'field label not supported: %s' % field)
        reqs.append((fields[field], op == '!=', value))
    return lambda obj: all((get(obj) == value) != negate
                           for get, negate, value in reqs)
