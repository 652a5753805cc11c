"""Writer (and reader, for tests) of Hush model files (.hnn); the layout is documented in
src/nn/model_file.h, which is the C++ parser."""
import json
import struct
import zlib

import numpy as np

MAGIC = b"HUSHNN\r\n"
VERSION = 1
HEADER_BYTES = 40
ALIGN = 64
DTYPE_F32 = 1
DTYPE_F16 = 2  # IEEE binary16: weight matrices of a model exported with --half
_CODES = {DTYPE_F32: "<f4", DTYPE_F16: "<f2"}


def _align(n):
    return (n + ALIGN - 1) // ALIGN * ALIGN


def write(path, metadata, tensors):
    """tensors: list of (name, np.ndarray) in file order; float16 arrays are stored as half,
    anything else as float32."""
    meta = json.dumps(metadata, sort_keys=True).encode()
    entries = [(name.encode(), np.ascontiguousarray(t, dtype="<f2" if t.dtype == np.float16 else "<f4"))
               for name, t in tensors]
    table_bytes = sum(2 + len(n) + 2 + 4 * a.ndim + 16 for n, a in entries)
    offset = _align(HEADER_BYTES + len(meta) + table_bytes)
    table = bytearray()
    data = bytearray()
    for name, a in entries:
        dtype = DTYPE_F16 if a.dtype == np.float16 else DTYPE_F32
        table += struct.pack("<H", len(name)) + name + struct.pack("<BB", dtype, a.ndim)
        table += struct.pack(f"<{a.ndim}I", *a.shape) + struct.pack("<QQ", offset, a.nbytes)
        pad = offset - (HEADER_BYTES + len(meta) + table_bytes) - len(data)
        data += b"\0" * pad + a.tobytes()
        offset = _align(offset + a.nbytes)
    body = meta + bytes(table) + bytes(data)
    total = HEADER_BYTES + len(body)
    header = MAGIC + struct.pack("<IIIIQII", VERSION, len(entries), len(meta), 0, total, zlib.crc32(body), 0)
    assert len(header) == HEADER_BYTES
    with open(path, "wb") as f:
        f.write(header + body)
    return total


def read(path):
    raw = open(path, "rb").read()
    assert raw[:8] == MAGIC
    version, count, meta_len, _, total, crc, _ = struct.unpack_from("<IIIIQII", raw, 8)
    assert version == VERSION and total == len(raw) and zlib.crc32(raw[HEADER_BYTES:]) == crc
    metadata = json.loads(raw[HEADER_BYTES : HEADER_BYTES + meta_len])
    at = HEADER_BYTES + meta_len
    tensors = {}
    for _ in range(count):
        (n,) = struct.unpack_from("<H", raw, at)
        name = raw[at + 2 : at + 2 + n].decode()
        at += 2 + n
        dtype, rank = struct.unpack_from("<BB", raw, at)
        dims = struct.unpack_from(f"<{rank}I", raw, at + 2)
        off, nbytes = struct.unpack_from("<QQ", raw, at + 2 + 4 * rank)
        at += 2 + 4 * rank + 16
        tensors[name] = np.frombuffer(raw[off : off + nbytes], dtype=_CODES[dtype]).reshape(dims).astype(np.float32)
    return metadata, tensors
