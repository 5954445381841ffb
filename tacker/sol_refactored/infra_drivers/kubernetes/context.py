"""What every Kubernetes step needs: the VIM, the namespace, the package."""
from tacker.sol_refactored.common import vnf_package_store as pkg_store
from tacker.sol_refactored.infra_drivers.kubernetes import vim as k8s_vim
from tacker.sol_refactored.lcm import vim_connection
from tacker.sol_refactored import objects

DEFAULT_NAMESPACE = 'default'


vim_info = vim_connection.of_work


def connect(work):
    return k8s_vim.KubernetesVim(vim_info(work))


def namespace(work):
    info = work.old_inst.obj_get('instantiatedVnfInfo')
    if info is not None and (info.obj_get('metadata') or {}).get(
            'namespace'):
        return info.metadata['namespace']
    params = work.req.obj_get('additionalParams') or {}
    return (params.get('namespace') or
            (vim_info(work).get('extra') or {}).get('namespace') or
            DEFAULT_NAMESPACE)


def package_of(context, vnfd_id):
    pkgs = objects.VnfPkgInfo.get_all(context, vnfdId=vnfd_id)
    return pkgs[0] if pkgs else None


def package_root(pkg):
    return pkg_store.package_dir(pkg.id)
