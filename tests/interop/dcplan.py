"""The messages of the data channel interop tests, shared by the test, its GStreamer peers and
aiortc_peer.py (plain Python: no GStreamer, no aiortc).

A plan is a list of (binary, size) pairs: strings and binary alternate (even index: string),
the sizes are deterministic: the edge cases first spread through the list (0 bytes as string
and as binary, 1 byte, around one SCTP fragment of 1200 bytes, around 16 KiB, around 64 KiB
when allowed, up to the limit), the rest log-uniform between 1 byte and the limit.
message(plan, i) makes message i: bytes for binary, str for strings (UTF-8 with one- to
four-byte characters, exactly `size` bytes when encoded, no NUL).
"""
import math
import random

# Characters of every UTF-8 length (1 to 4 bytes), none of them NUL.
CHARS = "aZ9 é€😀ßж中ñ✓𝄞~"


def plan(count=1000, limit=65536, seed=6, empty=True):
    """empty=False: no 0-byte messages (for peers that cannot send them)."""
    rng = random.Random(seed)
    edges = [0, 1, 2, 1199, 1200, 1201, 16383, 16384, 16385]
    if not empty:
        edges.remove(0)
    if limit > 65537:
        edges += [65535, 65536, 65537]
    edges += [limit - 1, limit]
    edges = sorted({s for s in edges if s <= limit})
    sizes = [min(limit, max(0 if empty else 1, int(math.exp(rng.uniform(0, math.log(limit + 1))))))
             for _ in range(count)]
    # Each edge size once as string and once as binary, spread through the list.
    step = max(2, (count // (len(edges) + 1)) & ~1)
    for k, size in enumerate(edges):
        at = k * step
        if at + 1 < count:
            sizes[at] = sizes[at + 1] = size
    return [(i % 2 == 1, sizes[i]) for i in range(count)]


def message(entries, i, seed=6):
    binary, size = entries[i]
    rng = random.Random(seed * 1000003 + i)
    if binary:
        return rng.randbytes(size)
    unit = "".join(rng.choice(CHARS) for _ in range(61)).encode()
    raw = (unit * (size // len(unit) + 2))
    k = size
    while k > 0 and (raw[k] & 0xC0) == 0x80:  # do not cut a character: pad with ASCII
        k -= 1
    text = raw[:k].decode() + "x" * (size - k)
    assert len(text.encode()) == size
    return text


def describe(data):
    """A short description of a message for failure reports."""
    kind = "binary" if isinstance(data, (bytes, bytearray)) else "string"
    n = len(data) if kind == "binary" else len(data.encode())
    return "%s of %d bytes" % (kind, n)


def difference(sent, got):
    """None when got is sent (same kind, same bytes), else what differs."""
    if isinstance(sent, str) != isinstance(got, str):
        return "sent %s, got %s" % (describe(sent), describe(got))
    a = sent.encode() if isinstance(sent, str) else bytes(sent)
    b = got.encode() if isinstance(got, str) else bytes(got)
    if a == b:
        return None
    first = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
    return "sent %s, got %s, first difference at byte %d" % (describe(sent), describe(got), first)


def small_messages(label, n):
    """The short messages of an unordered or max-retransmits=0 channel: distinct, strings and
    binary alternating (the same on every side)."""
    out = []
    for i in range(n):
        text = "%s #%d \u2713" % (label, i)
        out.append(text if i % 2 == 0 else (text * (1 + i % 7)).encode())
    return out


def key(msg):
    """A message as a dict key: its kind and its bytes."""
    return ("s", msg) if isinstance(msg, str) else ("b", bytes(msg))


def note_bad(rec, what):
    """Records a problem in rec["bad"], keeping the first ten."""
    if len(rec["bad"]) < 10:
        rec["bad"].append(what)
    elif len(rec["bad"]) == 10:
        rec["bad"].append("... (more)")
