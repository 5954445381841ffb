"""SOL013 query parameters: attribute filters, selectors and paging.

``list_response`` is what the list controllers call with the API bodies of
every resource of one type, in a stable order. It applies, in this order:

1. ``filter`` (SOL013 5.2): the resources whose attributes match every
   ``(op,attr,value[,value...])`` term;
2. paging (SOL013 5.4): at most ``page_size`` of them, and a
   ``Link: <...>; rel="next"`` header when more remain;
3. attribute selectors (SOL013 5.3): ``all_fields``, ``fields``,
   ``exclude_fields`` and ``exclude_default``.

When the caller passes ``schema`` (the SolObject class of the resource),
attribute paths are checked against the fields of that class and its nested
objects, and filter values are checked against the field's type (a number
for an integer, true/false for a boolean, an RFC 3339 time for a DateTime).
Below a free-form attribute (KeyValuePairs, JSON) any path is accepted and
values are compared with the JSON type found in the resource. Without
``schema`` no path is refused; comparisons still follow the JSON types.

Choices where SOL013 leaves room:

- A path through an array looks at every element; the positive operators
  (eq, in, gt, gte, lt, lte, cont) match when any reached value matches,
  the negated ones (neq, nin, ncont) when none does. An absent attribute
  matches only the negated operators.
- The page marker names the last entry of the previous page, so any server
  process can continue a listing; it also remembers the selector flags
  (``all_fields``, ``exclude_default``) because python-tackerclient drops
  query parameters without a value when it follows the Link header.
  A marker whose entry has been deleted since is stale and answered 400.
- Query parameters other than the SOL013 ones, and a parameter given twice,
  are refused with 400 rather than ignored.
"""
import base64
import binascii
import json
import math
from urllib import parse as urlparse

from oslo_utils import timeutils
from oslo_versionedobjects import fields as ovo_fields

from tacker.sol_refactored.api import wsgi
from tacker.sol_refactored.common import exceptions as sol_ex

FILTER = 'filter'
ALL_FIELDS = 'all_fields'
FIELDS = 'fields'
EXCLUDE_FIELDS = 'exclude_fields'
EXCLUDE_DEFAULT = 'exclude_default'
MARKER = 'nextpage_opaque_marker'
FLAGS = (ALL_FIELDS, EXCLUDE_DEFAULT)
KNOWN_PARAMS = (FILTER, ALL_FIELDS, FIELDS, EXCLUDE_FIELDS, EXCLUDE_DEFAULT,
                MARKER)

DEFAULT_MANDATORY = ('id', '_links')

# operator: (fewest values, most values or None, negated form of)
OPERATORS = {
    'eq': (1, 1, None),
    'neq': (1, 1, 'eq'),
    'in': (1, None, None),
    'nin': (1, None, 'in'),
    'gt': (1, 1, None),
    'gte': (1, 1, None),
    'lt': (1, 1, None),
    'lte': (1, 1, None),
    'cont': (1, None, None),
    'ncont': (1, None, 'cont'),
}
ORDERING_OPS = ('gt', 'gte', 'lt', 'lte')
STRING_OPS = ('cont', 'ncont')


def _invalid(name, error):
    return sol_ex.InvalidQuery(name=name, error=error)


# -- what attributes a resource can have --------------------------------

class Attr:
    """One node of a resource's attribute tree, derived from its object.

    ``kind`` is 'object' (children known), 'free' (any path beneath),
    'string', 'integer', 'boolean' or 'datetime'.
    """

    def __init__(self, kind, children=None):
        self.kind = kind
        self.children = children or {}

    def child(self, name):
        if self.kind == 'free':
            return self
        return self.children.get(name)


def _field_attr(field, seen):
    ftype = field._type
    if isinstance(ftype, ovo_fields.List):
        ftype = ftype._element_type._type
    if isinstance(ftype, ovo_fields.Object):
        from tacker.sol_refactored.objects import base as obj_base
        return schema_of(obj_base.get_class(ftype._obj_name), seen)
    if isinstance(ftype, ovo_fields.Boolean):
        return Attr('boolean')
    if isinstance(ftype, (ovo_fields.Integer, ovo_fields.Float)):
        return Attr('integer')
    if isinstance(ftype, ovo_fields.DateTime):
        return Attr('datetime')
    if isinstance(ftype, ovo_fields.String):
        return Attr('string')
    return Attr('free')


def schema_of(obj_class, seen=()):
    """The attribute tree of a SolObject class as its API body shows it."""
    if obj_class in seen:
        return Attr('free')
    seen = tuple(seen) + (obj_class,)
    hidden = getattr(obj_class, 'db_only_fields', ())
    children = {name: _field_attr(field, seen)
                for name, field in obj_class.fields.items()
                if name not in hidden}
    if len(seen) == 1:
        children.setdefault('_links', Attr('free'))
    return Attr('object', children)


def _split_path(param, path):
    segments = path.split('/')
    if not path or any(not s for s in segments):
        raise _invalid(param, 'attribute path %r has an empty name; write '
                              'names separated by single "/".' % path)
    return segments


def _lookup(schema, param, segments):
    """The Attr of a path; 400 when no resource of the type can have it."""
    node = schema
    for depth, name in enumerate(segments):
        nxt = node.child(name)
        if nxt is None or node.kind not in ('object', 'free'):
            raise _invalid(param, 'this resource has no attribute %r.' %
                           '/'.join(segments[:depth + 1]))
        node = nxt
    return node


# -- filter ---------------------------------------------------------------

class Term:
    def __init__(self, op, path, values, kind):
        self.op = op
        self.path = path
        self.values = values
        self.kind = kind

    def matches(self, body):
        reached = list(_reach(body, self.path))
        negated = OPERATORS[self.op][2]
        op = negated or self.op
        found = any(_compare(op, actual, value, self.kind)
                    for actual in reached for value in self.values)
        return not found if negated else found


def _read_item(text, pos):
    """One comma-separated item of a term from ``pos``; (item, next pos)."""
    if pos < len(text) and text[pos] == "'":
        chars = []
        pos += 1
        while True:
            end = text.find("'", pos)
            if end < 0:
                raise _invalid(FILTER, 'a quoted value starting at '
                                       'character %d has no closing quote.'
                               % pos)
            chars.append(text[pos:end])
            if text.startswith("''", end):
                chars.append("'")
                pos = end + 2
                continue
            return ''.join(chars), end + 1
    end = pos
    while end < len(text) and text[end] not in ",)":
        if text[end] == "'":
            raise _invalid(FILTER, "the value at character %d holds a quote; "
                                   "put it in single quotes and double "
                                   "the quote inside." % pos)
        end += 1
    return text[pos:end], end


def _parse_terms(text):
    """Split a filter into [[op, attr, value, ...], ...]."""
    terms = []
    pos = 0
    while True:
        if not text.startswith('(', pos):
            raise _invalid(FILTER, "expected '(' at character %d of %r; "
                                   "write (op,attribute,value) terms "
                                   "separated by ';'." % (pos, text))
        pos += 1
        items = []
        while True:
            item, pos = _read_item(text, pos)
            items.append(item)
            if pos >= len(text):
                raise _invalid(FILTER, "the term at the end of %r has no "
                                       "closing ')'." % text)
            if text[pos] == ')':
                pos += 1
                break
            if text[pos] != ',':
                raise _invalid(FILTER, "expected ',' or ')' at character %d "
                                       "of %r." % (pos, text))
            pos += 1
        terms.append(items)
        if pos == len(text):
            return terms
        if text[pos] != ';':
            raise _invalid(FILTER, "expected ';' or the end after the term "
                                   "ending at character %d of %r." %
                           (pos - 1, text))
        pos += 1


def _check_value(term_text, kind, value):
    if kind == 'integer':
        if _number(value) is None:
            raise _invalid(FILTER, '%s: %r is not a number.' %
                           (term_text, value))
    elif kind == 'boolean':
        if _boolean(value) is None:
            raise _invalid(FILTER, "%s: %r is not 'true' or 'false'." %
                           (term_text, value))
    elif kind == 'datetime':
        if _datetime(value) is None:
            raise _invalid(FILTER, '%s: %r is not a date and time like '
                                   '2024-01-31T12:00:00Z.' %
                           (term_text, value))


def parse_filter(text, schema=None):
    """The terms of a ``filter`` value; InvalidQuery when malformed."""
    terms = []
    for items in _parse_terms(text):
        term_text = '(%s)' % ','.join(items)
        if len(items) < 3:
            raise _invalid(FILTER, '%s: a term needs an operator, an '
                                   'attribute and at least one value.' %
                           term_text)
        op, path, values = items[0], items[1], items[2:]
        if op not in OPERATORS:
            raise _invalid(FILTER, '%s: unknown operator %r; use one of %s.'
                           % (term_text, op, ', '.join(OPERATORS)))
        most = OPERATORS[op][1]
        if most is not None and len(values) > most:
            raise _invalid(FILTER, '%s: %s takes one value; use in or nin '
                                   'for several.' % (term_text, op))
        segments = _split_path(FILTER, path)
        kind = None
        if schema is not None:
            node = _lookup(schema, FILTER, segments)
            if node.kind == 'object':
                raise _invalid(FILTER, '%s: %s is a structured attribute; '
                                       'filter on one of its members.' %
                               (term_text, path))
            if node.kind != 'free':
                kind = node.kind
            if op in ORDERING_OPS and kind == 'boolean':
                raise _invalid(FILTER, '%s: %s is a boolean and has no '
                                       'order.' % (term_text, path))
            if op in STRING_OPS and kind not in (None, 'string'):
                raise _invalid(FILTER, '%s: %s applies to strings only.' %
                               (term_text, op))
            for value in values:
                _check_value(term_text, kind, value)
        terms.append(Term(op, segments, values, kind))
    return terms


def _reach(doc, segments):
    """Every value at the path; arrays on the way contribute each element."""
    if isinstance(doc, list):
        for element in doc:
            yield from _reach(element, segments)
        return
    if not segments:
        if doc is not None:
            yield doc
        return
    if isinstance(doc, dict) and segments[0] in doc:
        yield from _reach(doc[segments[0]], segments[1:])


def _number(text):
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _boolean(text):
    return {'true': True, 'false': False}.get(text.lower())


def _datetime(text):
    if not isinstance(text, str):
        return None
    try:
        value = timeutils.parse_isotime(text)
    except ValueError:
        return None
    return timeutils.normalize_time(value)


def _compare(op, actual, text, kind):
    """Compare one attribute value with one filter value of the term."""
    if isinstance(actual, bool):
        value = _boolean(text)
    elif isinstance(actual, (int, float)):
        value = _number(text)
    elif isinstance(actual, str):
        value = text
        if kind == 'datetime':
            actual, value = _datetime(actual), _datetime(text)
    else:
        return False
    if value is None or actual is None:
        return False
    if op in ('eq', 'in'):
        return actual == value
    if op == 'cont':
        return isinstance(actual, str) and value in actual
    if isinstance(actual, bool):
        return False
    if op == 'gt':
        return actual > value
    if op == 'gte':
        return actual >= value
    if op == 'lt':
        return actual < value
    return actual <= value


# -- attribute selectors --------------------------------------------------

def _path_tree(param, paths, schema):
    """{'a': {'b': None}} for ['a/b']; None marks the end of a path."""
    tree = {}
    for path in paths:
        segments = _split_path(param, path)
        if schema is not None:
            _lookup(schema, param, segments)
        node = tree
        for name in segments[:-1]:
            if name in node and node[name] is None:
                break
            node = node.setdefault(name, {})
        else:
            node[segments[-1]] = None
    return tree


def _each_object(value, func):
    if isinstance(value, list):
        return [_each_object(v, func) for v in value]
    if isinstance(value, dict):
        return func(value)
    return value


def _is_complex(value):
    return isinstance(value, (dict, list))


def _keep_listed(doc, tree, prefix, mandatory):
    """``fields``: simple and mandatory attributes, and the listed ones."""
    kept = {}
    for name, value in doc.items():
        path = prefix + name
        if name in tree:
            sub = tree[name]
            kept[name] = value if sub is None else _each_object(
                value, lambda d, s=sub, p=path: _keep_listed(
                    d, s, p + '/', mandatory))
        elif path in mandatory or not _is_complex(value):
            kept[name] = value
    return kept


def _remove_listed(doc, tree):
    """``exclude_fields``: everything but the listed attributes."""
    kept = {}
    for name, value in doc.items():
        if name not in tree:
            kept[name] = value
        elif tree[name] is not None:
            kept[name] = _each_object(
                value, lambda d, s=tree[name]: _remove_listed(d, s))
    return kept


class Selector:
    """Which attributes of each resource the answer shows."""

    def __init__(self, params, default_excluded, mandatory, schema):
        given = [p for p in (ALL_FIELDS, FIELDS, EXCLUDE_FIELDS,
                             EXCLUDE_DEFAULT) if p in params]
        if ALL_FIELDS in given and len(given) > 1:
            raise _invalid(ALL_FIELDS, 'it cannot be combined with %s.' %
                           ', '.join(p for p in given if p != ALL_FIELDS))
        if FIELDS in given and EXCLUDE_FIELDS in given:
            raise _invalid(FIELDS, 'fields and exclude_fields cannot be '
                                   'given together.')
        self.mandatory = frozenset(mandatory)
        self.all_fields = ALL_FIELDS in given
        self.fields = self._paths(params, FIELDS, schema)
        self.exclude = self._paths(params, EXCLUDE_FIELDS, schema)
        for path in params.get(EXCLUDE_FIELDS, '').split(','):
            if path in self.mandatory:
                raise _invalid(EXCLUDE_FIELDS, '%s is a mandatory attribute '
                                               'and is always shown.' % path)
        self.exclude_default = (EXCLUDE_DEFAULT in given or not given)
        self.default = {name: None for name in default_excluded}

    @staticmethod
    def _paths(params, name, schema):
        if name not in params:
            return None
        if not params[name]:
            raise _invalid(name, 'it needs a comma-separated list of '
                                 'attribute names.')
        return _path_tree(name, params[name].split(','), schema)

    def apply(self, body):
        if self.all_fields:
            return body
        if self.exclude_default:
            body = self._without_defaults(body)
        if self.fields is not None and not self.exclude_default:
            body = _keep_listed(body, self.fields, '', self.mandatory)
        if self.exclude is not None:
            body = _remove_listed(body, self.exclude)
        return body

    def _without_defaults(self, body):
        listed = self.fields or {}
        kept = {}
        for name, value in body.items():
            if name not in self.default or name in self.mandatory:
                kept[name] = value
            elif name in listed:
                sub = listed[name]
                kept[name] = value if sub is None else _each_object(
                    value, lambda d, s=sub, n=name: _keep_listed(
                        d, s, n + '/', self.mandatory))
        return kept


# -- paging ---------------------------------------------------------------

def make_marker(last_id, flags):
    data = json.dumps({'after': last_id, 'flags': sorted(flags)},
                      separators=(',', ':')).encode('utf-8')
    return base64.urlsafe_b64encode(data).decode('ascii').rstrip('=')


def read_marker(marker):
    """(id of the last entry already sent, selector flags)."""
    try:
        raw = base64.urlsafe_b64decode(marker + '=' * (-len(marker) % 4))
        data = json.loads(raw.decode('utf-8'))
        after = data['after']
        flags = data['flags']
        if not isinstance(after, str) or not isinstance(flags, list) or \
                not set(flags) <= set(FLAGS):
            raise ValueError(marker)
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise _invalid(MARKER, 'it is not a marker this server gave out; '
                               'follow the URL of the Link header, or '
                               'start again without it.')
    return after, flags


def _next_link(request, marker):
    parts = []
    for key, value in request.GET.items():
        if key == MARKER:
            continue
        name = urlparse.quote(key, safe='')
        parts.append(name if key in FLAGS and not value else
                     name + '=' + urlparse.quote(value, safe='(),/'))
    parts.append(MARKER + '=' + marker)
    url = request.base_url() + request.path_info + '?' + '&'.join(parts)
    return '<%s>; rel="next"' % url


# -- entry point ----------------------------------------------------------

def _query_params(request, extra_params):
    params = {}
    for key, value in request.GET.items():
        if key in params:
            raise _invalid(key, 'it is given more than once.')
        if key not in KNOWN_PARAMS and key not in extra_params:
            raise _invalid(key, 'this resource supports only %s.' %
                           ', '.join(KNOWN_PARAMS))
        if key in FLAGS and value:
            raise _invalid(key, 'it is a flag and takes no value; write '
                                '"%s" alone.' % key)
        params[key] = value
    return params


def list_response(request, bodies, page_size, default_excluded=(),
                  mandatory=DEFAULT_MANDATORY, schema=None,
                  extra_params=()):
    """The 200 answer of a list request, per SOL013 5.2-5.4.

    ``bodies``: the API body of every resource, in a stable order.
    ``page_size``: entries per page, 0 for no paging.
    ``default_excluded``: the attributes ``exclude_default`` removes.
    ``mandatory``: attribute paths never removed by a selector.
    ``schema``: the SolObject class of the resource (see the module doc).
    ``extra_params``: other query parameters the caller handles itself.
    """
    params = _query_params(request, extra_params)
    attrs = schema_of(schema) if schema is not None else None
    flags = [f for f in FLAGS if f in params]
    after = None
    if MARKER in params:
        after, marker_flags = read_marker(params[MARKER])
        for flag in marker_flags:
            params.setdefault(flag, '')
        flags = [f for f in FLAGS if f in params]
    terms = parse_filter(params[FILTER], attrs) if FILTER in params else []
    selector = Selector(params, default_excluded,
                        set(DEFAULT_MANDATORY) | set(mandatory), attrs)

    bodies = list(bodies)
    start = 0
    if after is not None:
        ids = [body.get('id') for body in bodies]
        if after not in ids:
            raise _invalid(MARKER, 'the listing it continues has changed '
                                   '(entry %s is gone); start the listing '
                                   'again without it.' % after)
        start = ids.index(after) + 1
    matching = (body for body in bodies[start:]
                if all(term.matches(body) for term in terms))

    page = []
    headers = {}
    for body in matching:
        if page_size and len(page) == page_size:
            headers['Link'] = _next_link(
                request, make_marker(page[-1]['id'], flags))
            break
        page.append(body)
    return wsgi.SolResponse(200, [selector.apply(b) for b in page],
                            headers=headers)
