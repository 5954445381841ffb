"""Which VNF instance an object belongs to: a label on it.

Every object an instance applies carries ``LABEL: <vnfInstanceId>``, and
so do the Pod templates of its workloads (so that Pods carry it too;
never the workloads' ``spec.selector``, which cannot change). An object
that exists already without this instance's label is someone else's: it
is neither replaced nor deleted.
"""
import copy

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.kubernetes import resources

LABEL = 'tacker.openstack.org/vnf-instance-id'


class OwnedElsewhere(sol_ex.Conflict):
    title = 'Conflict'


def _with_label(meta, inst_id):
    meta = dict(meta or {})
    meta['labels'] = dict(meta.get('labels') or {})
    meta['labels'][LABEL] = inst_id
    return meta


def stamped(obj, inst_id):
    """A copy of obj labelled as inst_id's, its Pod template too."""
    body = copy.deepcopy(obj)
    body['metadata'] = _with_label(body.get('metadata'), inst_id)
    if body['kind'] in resources.WORKLOADS:
        spec = body.setdefault('spec', {})
        template = spec.setdefault('template', {})
        template['metadata'] = _with_label(template.get('metadata'), inst_id)
    return body


def owner_of(obj):
    return ((obj.get('metadata') or {}).get('labels') or {}).get(LABEL)


def belongs(obj, inst_id):
    return owner_of(obj) == inst_id


def whose(obj):
    owner = owner_of(obj)
    if owner:
        return 'VNF instance %s' % owner
    return 'no VNF instance (it has no %s label)' % LABEL


def refusal(clashes, namespace):
    """OwnedElsewhere for [(kind, name, existing object)]."""
    return OwnedElsewhere(
        '%s exist%s already in namespace %s and belong%s to someone else; '
        'a VNF instance neither replaces nor deletes objects it did not '
        'make. Remove or rename them, or use another namespace.' % (
            '; '.join('%s %s (owned by %s)' % (kind, name, whose(obj))
                      for kind, name, obj in clashes),
            's' if len(clashes) == 1 else '', namespace,
            's' if len(clashes) == 1 else ''))
