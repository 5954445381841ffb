"""Manifests of a VNF package (Files/kubernetes/...), read and applied."""
import os

import yaml

from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.infra_drivers.kubernetes import ownership
from tacker.sol_refactored.infra_drivers.kubernetes import resources
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim


def resolve(package_root, rel_path):
    if not isinstance(rel_path, str) or not rel_path or '\0' in rel_path:
        raise sol_ex.BadRequest(
            'lcm-kubernetes-def-files: %r is not a path of a file in the '
            'VNF package.' % (rel_path,))
    root = os.path.realpath(package_root)
    path = os.path.realpath(os.path.join(root, rel_path))
    if os.path.isabs(rel_path) or os.path.commonpath([root, path]) != root:
        raise sol_ex.BadRequest(
            'lcm-kubernetes-def-files: %s leads outside the VNF package.' %
            rel_path)
    if not os.path.isfile(path):
        raise sol_ex.BadRequest(
            'lcm-kubernetes-def-files: the package has no file %s.' %
            rel_path)
    return path


def load(package_root, rel_paths):
    """Every object of the files, checked, in creation order."""
    if not rel_paths:
        raise sol_ex.BadRequest(
            'additionalParams.lcm-kubernetes-def-files must list the '
            'manifests (paths in the package) to apply.')
    objects = []
    seen = set()
    for rel in rel_paths:
        path = resolve(package_root, rel)
        try:
            with open(path, encoding='utf-8') as f:
                docs = [d for d in yaml.safe_load_all(f) if d]
        except (UnicodeDecodeError, yaml.reader.ReaderError) as e:
            # A Helm chart archive, an image ...: not what this names.
            raise sol_ex.BadRequest(
                'lcm-kubernetes-def-files: %s is not a UTF-8 YAML manifest '
                '(%s); name the Kubernetes manifests of the package (Helm '
                'charts and other archives are not applied by this '
                'driver).' % (rel, type(e).__name__))
        except yaml.YAMLError as e:
            raise sol_ex.UnprocessableEntity(
                'The manifest %s is not valid YAML: %s' % (rel, e))
        for doc in docs:
            if not isinstance(doc, dict):
                raise sol_ex.UnprocessableEntity(
                    'The manifest %s holds something other than a '
                    'Kubernetes object.' % rel)
            kind, name = resources.check_kind(doc, rel)
            if (kind, name) in seen:
                raise sol_ex.UnprocessableEntity(
                    'The manifests define %s %s twice.' % (kind, name))
            seen.add((kind, name))
            objects.append(doc)
    return resources.ordered(objects)


def declared_namespace(objects):
    """The name of the Namespace the manifests define, or None."""
    names = [o['metadata']['name'] for o in objects
             if o['kind'] == 'Namespace']
    if len(names) > 1:
        raise sol_ex.UnprocessableEntity(
            'The manifests define %d Namespaces (%s); a VNF lives in '
            'one.' % (len(names), ', '.join(sorted(names))))
    return names[0] if names else None


def check_namespace(objects, namespace):
    """Refuse objects whose metadata.namespace is not the VNF's."""
    for obj in objects:
        given = obj['metadata'].get('namespace')
        if obj['kind'] != 'Namespace' and given and given != namespace:
            raise sol_ex.UnprocessableEntity(
                '%s %s names namespace %s, but the VNF lives in %s.' % (
                    obj['kind'], obj['metadata']['name'], given, namespace))


def ref(obj):
    return {'kind': obj['kind'], 'name': obj['metadata']['name']}


def apply(vim, namespace, obj, owner):
    """Create obj, labelled as the VNF instance ``owner``'s.

    When it exists already and carries that label (a retry), replace it;
    when it does not, it is someone else's: 409, nothing changed. A
    Namespace of ours that exists is kept as it is.
    """
    kind, name = obj['kind'], obj['metadata']['name']
    body = ownership.stamped(obj, owner)
    if kind != 'Namespace':
        body['metadata']['namespace'] = namespace
    what = 'create %s %s' % (kind, name)
    try:
        return vim.call(what, 'POST',
                        resources.collection_path(kind, namespace), body)
    except k8s_vim.VimError as e:
        if not k8s_vim.is_status(e, 409):
            raise
    current = vim.call('read %s %s' % (kind, name), 'GET',
                       resources.object_path(kind, namespace, name))
    if not ownership.belongs(current, owner):
        raise ownership.refusal([(kind, name, current)], namespace)
    if kind == 'Namespace':
        return current
    body['metadata']['resourceVersion'] = current['metadata'][
        'resourceVersion']
    if kind == 'Service':
        # clusterIP is immutable; keep what the cluster allocated.
        body['spec'] = dict(body.get('spec') or {})
        body['spec'].setdefault('clusterIP',
                                current.get('spec', {}).get('clusterIP'))
    return vim.call('replace %s %s' % (kind, name), 'PUT',
                    resources.object_path(kind, namespace, name), body)


def check_free(vim, namespace, objects, owner):
    """Refuse (409) when one of objects exists and is not owner's.

    Before anything is created, so that a clash changes nothing; apply
    refuses the same way should one appear meanwhile.
    """
    clashes = []
    for obj in objects:
        kind, name = obj['kind'], obj['metadata']['name']
        current = read(vim, namespace, kind, name)
        if current is not None and not ownership.belongs(current, owner):
            clashes.append((kind, name, current))
    if clashes:
        raise ownership.refusal(clashes, namespace)


def delete(vim, namespace, kind, name, uid=None):
    """Delete; an object already gone is fine (idempotent).

    With ``uid``, only that object: one re-created under the same name
    since it was read is left alone (False); True otherwise.
    """
    # A Namespace's own controller empties it; the others wait for their
    # dependents (Foreground), so that "gone" means their Pods are too.
    policy = 'Background' if kind == 'Namespace' else 'Foreground'
    options = {'propagationPolicy': policy}
    if uid:
        options['preconditions'] = {'uid': uid}
    try:
        vim.call('delete %s %s' % (kind, name), 'DELETE',
                 resources.object_path(kind, namespace, name),
                 body=options)
    except k8s_vim.VimError as e:
        if uid and k8s_vim.is_status(e, 409):
            return False
        if not k8s_vim.is_status(e, 404):
            raise
    return True


def read(vim, namespace, kind, name):
    try:
        return vim.call('read %s %s' % (kind, name), 'GET',
                        resources.object_path(kind, namespace, name))
    except k8s_vim.VimError as e:
        if k8s_vim.is_status(e, 404):
            return None
        raise
