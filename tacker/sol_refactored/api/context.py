"""Request context: who is calling, carried from the API to the conductor."""
from oslo_context import context as oslo_context

from tacker.sol_refactored.api import policy


class Context(oslo_context.RequestContext):
    """oslo.context's context; it already serialises to and from a dict."""

    @classmethod
    def admin(cls, **kwargs):
        kwargs.setdefault('roles', ['admin', 'member', 'reader'])
        return cls(is_admin=True, **kwargs)


def from_environ(environ, auth_strategy):
    if auth_strategy == 'noauth':
        return Context.admin(
            request_id=environ.get('openstack.request_id'))
    context = Context.from_environ(environ)
    # Decided once here, by policy: it travels with the context to the
    # conductor and decides whether reads are limited to the project.
    context.is_admin = policy.check_is_admin(context)
    return context
