"""What every Kubernetes step needs: the VIM, the namespace, the package."""
from tacker.sol_refactored.common import exceptions as sol_ex
from tacker.sol_refactored.common import vnf_package_store as pkg_store
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.sol_refactored.lcm import vim_connection
from tacker.sol_refactored import objects

DEFAULT_NAMESPACE = 'default'


vim_info = vim_connection.of_work


def connect(work):
    return k8s_vim.KubernetesVim(vim_info(work))


def chosen_namespace(params, declared):
    """additionalParams.namespace or the manifests' Namespace; None if none.

    Both given and different is 422.
    """
    given = (params or {}).get('namespace')
    if given and declared and given != declared:
        raise sol_ex.UnprocessableEntity(
            'additionalParams.namespace is %s, but the manifests create '
            'Namespace %s for the VNF; give one of them or the same name.' %
            (given, declared))
    return given or declared


def namespace(work, declared=None):
    """The VNF's namespace.

    As recorded once instantiated; before, the request's or the one the
    manifests declare (``declared``), else the VIM's, else ``default``.
    """
    info = work.old_inst.obj_get('instantiatedVnfInfo')
    if info is not None and (info.obj_get('metadata') or {}).get(
            'namespace'):
        return info.metadata['namespace']
    params = work.req.obj_get('additionalParams') or {}
    return (chosen_namespace(params, declared) or
            (vim_info(work).get('extra') or {}).get('namespace') or
            DEFAULT_NAMESPACE)


def package_of(context, vnfd_id):
    pkgs = objects.VnfPkgInfo.get_all(context, vnfdId=vnfd_id)
    return pkgs[0] if pkgs else None


def package_root(pkg):
    return pkg_store.package_dir(pkg.id)
