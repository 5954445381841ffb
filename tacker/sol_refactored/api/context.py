"""Request context: who is calling, carried from the API to the conductor."""
from oslo_context import context as oslo_context


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
    return Context.from_environ(environ)
