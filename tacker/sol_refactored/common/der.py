"""A small reader of ASN.1 DER (and BER) encodings.

Just enough to walk a CMS SignedData (RFC 5652): ``cryptography`` loads
the certificates and checks signatures, but offers no way to read the
signer infos of a CMS message. Values are parsed lazily and every element
keeps its raw encoding, because a CMS signature covers the DER of the
signed attributes exactly as they were sent.
"""

UNIVERSAL = 0
CONTEXT = 2

INTEGER = 0x02
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
SEQUENCE = 0x10
SET = 0x11

# Nesting deeper than this is no certificate or signature we can use.
MAX_DEPTH = 32


class DerError(ValueError):
    """The bytes are not the ASN.1 structure they should be."""


class Element:
    """One TLV: ``cls`` (0 universal, 2 context), ``tag``, contents."""

    def __init__(self, data, start, header_len, content_end, end, depth):
        first = data[start]
        self.cls = first >> 6
        self.constructed = bool(first & 0x20)
        self.tag = first & 0x1f
        self._data = data
        self._start = start
        self._content = start + header_len
        self._content_end = content_end
        self.end = end
        self._depth = depth

    @property
    def raw(self):
        """The whole encoding, tag and length included."""
        return self._data[self._start:self.end]

    @property
    def content(self):
        return self._data[self._content:self._content_end]

    def children(self):
        if not self.constructed:
            raise DerError('expected a constructed value, found tag %d'
                           % self.tag)
        return list(_read_all(self._data, self._content, self._content_end,
                              self._depth + 1))

    def is_universal(self, tag):
        return self.cls == UNIVERSAL and self.tag == tag

    def is_context(self, tag):
        return self.cls == CONTEXT and self.tag == tag

    def expect(self, tag, what):
        if not self.is_universal(tag):
            raise DerError('%s: unexpected ASN.1 tag %d (class %d)' % (
                what, self.tag, self.cls))
        return self

    def as_oid(self):
        self.expect(OID, 'object identifier')
        return decode_oid(self.content)

    def as_int(self):
        self.expect(INTEGER, 'integer')
        return int.from_bytes(self.content, 'big', signed=True)


def _header(data, pos, end):
    if pos + 2 > end:
        raise DerError('truncated ASN.1 value at byte %d' % pos)
    if data[pos] & 0x1f == 0x1f:
        raise DerError('high tag numbers are not used in CMS')
    first = data[pos + 1]
    if first < 0x80:
        return 2, first
    count = first & 0x7f
    if count == 0:
        return 2, None
    if count > 4 or pos + 2 + count > end:
        raise DerError('bad ASN.1 length at byte %d' % pos)
    length = int.from_bytes(data[pos + 2:pos + 2 + count], 'big')
    return 2 + count, length


def _read_all(data, pos, end, depth):
    if depth > MAX_DEPTH:
        raise DerError('ASN.1 nesting is too deep')
    while pos < end:
        header_len, length = _header(data, pos, end)
        if length is None:
            # BER indefinite length: the contents end with two zero bytes.
            if not data[pos] & 0x20:
                raise DerError('indefinite length on a primitive value')
            inner = pos + header_len
            for child in _read_all(data, inner, end, depth + 1):
                if child.raw == b'\0\0':
                    break
                inner = child.end
            else:
                raise DerError('ASN.1 value at byte %d has no end' % pos)
            element = Element(data, pos, header_len, inner, inner + 2, depth)
        else:
            if pos + header_len + length > end:
                raise DerError('ASN.1 value at byte %d runs past its '
                               'container' % pos)
            element = Element(data, pos, header_len, pos + header_len + length,
                              pos + header_len + length, depth)
        yield element
        pos = element.end


def parse(data):
    """The single element that ``data`` encodes."""
    data = bytes(data)
    elements = list(_read_all(data, 0, len(data), 0))
    if len(elements) != 1:
        raise DerError('expected one ASN.1 value, found %d' % len(elements))
    return elements[0]


def decode_oid(content):
    if not content:
        raise DerError('empty object identifier')
    arcs = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7f)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    if content[-1] & 0x80:
        raise DerError('truncated object identifier')
    first = min(arcs[0] // 40, 2)
    return '.'.join(str(a) for a in [first, arcs[0] - 40 * first] + arcs[1:])
