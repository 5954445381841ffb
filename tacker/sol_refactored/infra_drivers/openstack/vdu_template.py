"""How a VDU's servers are described in a package's top-level HOT.

A VDU's servers are made by one resource of the top template: in the
sample packages (and the layout this driver expects for a per-VNFC Rolling
update) an ``OS::Heat::AutoScalingGroup`` or ``OS::Heat::ResourceGroup``
whose members are a nested template holding an ``OS::Nova::Server``
resource named like the VDU: one member, one VNFC. The group may have any
name (``VDU1``, ``VDU1_scale``, the name of a scaling aspect): it is the
resource named like the VDU, or else the one group whose member template
holds the VDU's server (``group_name``). A member's definition is the
group's ``resource`` (``resource_def`` for a ResourceGroup): the nested
template it is made of, and its properties, which read the ``nfv``
parameter with ``get_param``.

``member_definition`` evaluates that definition for a given ``nfv``, so a
single member stack can be updated on its own (Heat updates a whole group
at once and cannot stop between two members for a CoordinateVNF script).
``with_vdu_resource`` builds the template the whole stack gets once every
member of a VDU has been changed: the running template with that one VDU's
resource (and the nested templates it names) taken from another package,
so the VDUs not (yet) changed keep their own definition.
"""
import copy

import yaml

from tacker.sol_refactored.common import exceptions as sol_ex

GROUP_TYPES = {'OS::Heat::AutoScalingGroup': 'resource',
               'OS::Heat::ResourceGroup': 'resource_def'}
SERVER = 'OS::Nova::Server'


def parse(text):
    """A template as a dict (the HOT version left as the text it was)."""
    # BaseLoader would turn every scalar into a string; SafeLoader minus
    # the timestamp resolver keeps numbers and booleans what they are
    # and heat_template_version the string Heat expects.
    loader = type('HotLoader', (yaml.SafeLoader,), {})
    loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers
              if tag != 'tag:yaml.org,2002:timestamp']
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    try:
        template = yaml.load(text, Loader=loader)
    except yaml.YAMLError as e:
        raise sol_ex.UnprocessableEntity(
            'The Heat template cannot be read: %s' % e)
    if not isinstance(template, dict):
        raise sol_ex.UnprocessableEntity(
            'The Heat template is not a mapping.')
    return template


def _member_spec(res):
    """The member definition of a group resource, or None."""
    key = GROUP_TYPES.get(res.get('type')) if isinstance(res, dict) else None
    if key is None:
        return None
    member = (res.get('properties') or {}).get(key)
    return member if isinstance(member, dict) else {}


def _holds_server(text, vdu_id):
    try:
        nested = parse(text)
    except sol_ex.UnprocessableEntity:
        return False
    res = (nested.get('resources') or {}).get(vdu_id)
    return isinstance(res, dict) and res.get('type') == SERVER


def group_name(template, files, vdu_id):
    """The top template's resource that makes the servers of VDU vdu_id.

    The resource named like the VDU when there is one; otherwise the
    group whose member template holds a server named like the VDU. None
    or two such groups is a 422 naming what was looked for.
    """
    resources = template.get('resources') or {}
    if isinstance(resources.get(vdu_id), dict):
        return vdu_id
    found = sorted(
        name for name, res in resources.items()
        if (_member_spec(res) or {}).get('type') in (files or {}) and
        _holds_server(files[_member_spec(res)['type']], vdu_id))
    if len(found) == 1:
        return found[0]
    if found:
        raise sol_ex.UnprocessableEntity(
            'The top-level Heat template has several groups whose members '
            'hold server %s (%s); a VDU must be made by one group.' % (
                vdu_id, ', '.join(found)))
    raise sol_ex.UnprocessableEntity(
        'The top-level Heat template has no resource for VDU %s: neither '
        'a resource named %s nor an AutoScalingGroup or ResourceGroup '
        'whose member template holds an OS::Nova::Server named %s.' % (
            vdu_id, vdu_id, vdu_id))


def _group(template, files, vdu_id):
    """(resource name, resource, member definition or None) of a VDU."""
    name = group_name(template, files, vdu_id)
    res = template['resources'][name]
    member = _member_spec(res)
    if member is None:
        return name, res, None
    if not member.get('type'):
        raise sol_ex.UnprocessableEntity(
            'Resource %s of the top-level Heat template is a %s without '
            'properties.%s.type.' % (name, res['type'],
                                     GROUP_TYPES[res['type']]))
    return name, res, member


def is_group(template_text, files, vdu_id):
    return _group(parse(template_text), files, vdu_id)[2] is not None


def resolve(value, params, where):
    """``value`` with every get_param replaced by its value in params."""
    if isinstance(value, list):
        return [resolve(v, params, where) for v in value]
    if not isinstance(value, dict):
        return value
    if list(value) == ['get_param']:
        path = value['get_param']
        path = path if isinstance(path, list) else [path]
        found = params
        for step in path:
            try:
                found = found[step]
            except (KeyError, IndexError, TypeError):
                raise sol_ex.UnprocessableEntity(
                    '%s reads parameter %s, which has no value.' % (
                        where, '.'.join(map(str, path))))
        return copy.deepcopy(found)
    functions = [k for k in value if k.startswith(('get_', 'str_', 'list_',
                                                   'map_', 'if', 'yaql'))]
    if functions:
        raise sol_ex.UnprocessableEntity(
            '%s uses %s; a member of a VDU group may only use get_param in '
            'its properties for a per-VNFC Rolling update.' % (
                where, ', '.join(sorted(functions))))
    return {k: resolve(v, params, where) for k, v in value.items()}


def member_type(template_text, files, vdu_id):
    """The nested template a VDU group's members are made of, or None."""
    _name, _res, member = _group(parse(template_text), files, vdu_id)
    return member['type'] if member else None


def member_definition(template_text, files, vdu_id, nfv):
    """(nested template key, its text, properties) of one VDU member.

    None when the VDU is not a group (its servers are resources of the
    top template itself).
    """
    _name, _res, member = _group(parse(template_text), files, vdu_id)
    if member is None:
        return None
    key = member['type']
    if key not in files:
        raise sol_ex.UnprocessableEntity(
            'The members of %s are made of %s, which the package does not '
            'hold (it has: %s).' % (vdu_id, key,
                                    ', '.join(sorted(files)) or 'none'))
    props = resolve(member.get('properties') or {}, {'nfv': nfv},
                    'The member of %s' % vdu_id)
    return key, files[key], props


def _file_keys(resource):
    """The files a resource definition names (nested template types)."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            kind = value.get('type')
            if isinstance(kind, str) and not kind.startswith('OS::'):
                found.add(kind)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(resource)
    return found


def with_vdu_resource(current, current_files, source_text, source_files,
                      vdu_id):
    """(template, files): ``current`` with VDU ``vdu_id`` from ``source``.

    ``current`` is the running stack's template (a dict, as Heat returns
    it), ``source_text`` the top template of the package the VDU is to be
    changed to.
    """
    source = parse(source_text)
    name, res, _member = _group(source, source_files, vdu_id)
    template = copy.deepcopy(current)
    template.setdefault('resources', {})[name] = copy.deepcopy(res)
    files = dict(current_files or {})
    for key in _file_keys(res):
        if key in source_files:
            files[key] = source_files[key]
    # A nested template the other resources still name must not change
    # under them.
    others = set()
    for other_name, other in template['resources'].items():
        if other_name != name:
            others |= _file_keys(other)
    clash = sorted(k for k in others & _file_keys(res)
                   if (current_files or {}).get(k) != files.get(k))
    if clash:
        raise sol_ex.UnprocessableEntity(
            'VDU %s names nested template(s) %s, which other resources of '
            'the stack use with another content; give the VDU a nested '
            'template of its own.' % (vdu_id, ', '.join(clash)))
    return template, files
