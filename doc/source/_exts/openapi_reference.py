"""Render the operations of our OpenAPI document as reStructuredText.

``.. openapi-reference:: api/tacker-v2.yaml`` (path relative to the
source directory; ``:tag: NAME`` keeps the operations of one tag) writes,
for every path of the document, one section per method with its summary, description, request body and a table of the
status codes with when each is answered. The document stays the single
source; the page cannot drift from it.
"""
import os

from docutils.parsers.rst import Directive
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import nodes as sphinx_nodes
import yaml

METHODS = ('get', 'post', 'put', 'patch', 'delete')


def _follow(doc, node):
    while isinstance(node, dict) and '$ref' in node:
        target = doc
        for part in node['$ref'][2:].split('/'):
            target = target[part]
        node = target
    return node


def _text(value):
    return ' '.join((value or '').split())


def _operation_lines(doc, path, method, op):
    lines = []
    title = '%s %s' % (method.upper(), path)
    lines += [title, '~' * len(title), '']
    if op.get('summary'):
        lines += ['**%s**' % op['summary'], '']
    if op.get('description'):
        lines += [_text(op['description']), '']
    params = [_follow(doc, p) for p in op.get('parameters', [])]
    query = [p['name'] for p in params if p['in'] == 'query']
    version = [p for p in params if p['name'] == 'Version']
    if version:
        lines += ['Version header: %s.' % (
            'required' if version[0]['required'] else 'optional'), '']
    if query:
        lines += ['Query parameters: %s.' % ', '.join(
            '``%s``' % name for name in query), '']
    body = op.get('requestBody')
    if body:
        parts = []
        for media, content in body['content'].items():
            ref = content.get('schema', {}).get('$ref')
            kind = ref.rsplit('/', 1)[1] if ref else 'binary'
            parts.append('``%s`` (%s)' % (media, kind))
        lines += ['Request body: %s%s.' % (
            ', '.join(parts), '' if body.get('required') else ', optional'),
            '']
    lines += ['.. list-table::', '   :header-rows: 1',
              '   :widths: 10 90', '',
              '   * - Status', '     - When']
    for code, response in sorted(op['responses'].items()):
        response = _follow(doc, response)
        lines += ['   * - ``%s``' % code,
                  '     - %s' % _text(response.get('description'))]
    lines.append('')
    return lines


class OpenApiReference(Directive):
    required_arguments = 1
    has_content = False
    option_spec = {'tag': directives.unchanged}

    def run(self):
        env = self.state.document.settings.env
        path = os.path.join(env.srcdir, self.arguments[0])
        env.note_dependency(path)
        with open(path) as f:
            doc = yaml.safe_load(f)
        lines = []
        for api_path, item in doc['paths'].items():
            for method in METHODS:
                tag = self.options.get('tag')
                if method in item and (
                        tag is None or tag in item[method].get('tags', [])):
                    lines += _operation_lines(doc, api_path, method,
                                              item[method])
        content = StringList(lines, source=path)
        node = sphinx_nodes.nodes.section()
        node.document = self.state.document
        sphinx_nodes.nested_parse_with_titles(self.state, content, node)
        return node.children


def setup(app):
    app.add_directive('openapi-reference', OpenApiReference)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
