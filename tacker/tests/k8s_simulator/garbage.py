"""Garbage collection through ownerReferences (background and foreground
deletion) and namespace termination.

A deleted Namespace stays, in phase Terminating, while anything is left
in it: every object there is deleted, Pods terminate as usual (taking
their termination delay) and the Namespace goes once the last one is
gone. Meanwhile the API refuses creates in it with 403 Forbidden.
"""
from tacker.tests.k8s_simulator import api_resources as ar

FOREGROUND = 'foregroundDeletion'


class GarbageCollector:

    def __init__(self, store, api):
        self.store = store
        self.api = api

    def sync(self):
        everything = []
        for res in ar.RESOURCES:
            everything += [(res, obj) for obj in self.store.list(res)[0]]
        by_uid = {obj['metadata']['uid']: obj for _, obj in everything}
        owners_of = {}
        for res, obj in everything:
            for ref in obj['metadata'].get('ownerReferences') or []:
                owners_of.setdefault(ref.get('uid'), []).append((res, obj))
        for res, obj in everything:
            self._collect(res, obj, by_uid)
        for res, obj in everything:
            meta = obj['metadata']
            if meta.get('deletionTimestamp') and \
                    FOREGROUND in (meta.get('finalizers') or []) and \
                    not owners_of.get(meta['uid']):
                self._drop_finalizer(res, obj)
        for ns in self.store.list(ar.NAMESPACES)[0]:
            if ns['metadata'].get('deletionTimestamp'):
                self._empty_namespace(ns, everything)

    def _collect(self, res, obj, by_uid):
        meta = obj['metadata']
        refs = meta.get('ownerReferences') or []
        if not refs or meta.get('deletionTimestamp'):
            return
        owners = [by_uid.get(ref.get('uid')) for ref in refs]
        if all(owner is None for owner in owners):
            self.api.delete(res, meta.get('namespace'), meta['name'],
                            {'propagationPolicy': 'Background'})
            return
        for owner in owners:
            if owner is not None and FOREGROUND in (
                    owner['metadata'].get('finalizers') or []) and \
                    owner['metadata'].get('deletionTimestamp'):
                self.api.delete(res, meta.get('namespace'), meta['name'],
                                {'propagationPolicy': 'Foreground'})
                return

    def _drop_finalizer(self, res, obj):
        meta = obj['metadata']
        meta['finalizers'] = [f for f in meta['finalizers']
                              if f != FOREGROUND]
        if meta['finalizers']:
            self.store.update(res, obj)
        elif res.kind == 'Pod':
            del meta['finalizers']
            self.store.update(res, obj)
        else:
            self.store.delete(res, meta.get('namespace'), meta['name'])

    def _empty_namespace(self, ns, everything):
        name = ns['metadata']['name']
        left = [(res, obj) for res, obj in everything
                if res.namespaced and obj['metadata'].get('namespace') ==
                name]
        for res, obj in left:
            if not obj['metadata'].get('deletionTimestamp'):
                self.api.delete(res, name, obj['metadata']['name'],
                                {'propagationPolicy': 'Background'})
        if not left:
            self.store.delete(ar.NAMESPACES, None, name)
