"""Checkpoints of a parallel search: an append-only JSON-lines file, one line per finished subproblem.

The first line is a header: a fingerprint of the problem, the strategy (its hooks' digest), the
goal and the decomposition, and the decomposition itself (every subproblem's prefix), so that a
run resumed with another number of workers searches the same pieces. Each later line is one
finished subproblem: its id and prefix, its count or best solution, its nodes and cuts, and a
check value (CRC-32 of the line and the fingerprint) that catches a damaged or foreign line. A
line is flushed to disk as its subproblem finishes; a crash while writing leaves a torn last line,
which is dropped and its subproblem searched again.
"""

import hashlib
import json
import os
import zlib

import numpy as np

FORMAT = "backtrack-checkpoint"
VERSION = 1


class CheckpointError(ValueError):
    """A checkpoint file that is not ours, is damaged, or belongs to another run."""


def fingerprint(problem, strategy, goal):
    """A hash of what decides a search's result: the problem's data, the strategy's hooks, the goal."""
    h = hashlib.sha256()
    h.update(f"{type(problem).__module__}.{type(problem).__qualname__}|{strategy.key}|{goal}".encode())
    fields = problem._asdict().items() if hasattr(problem, "_asdict") else [("value", problem)]
    for name, value in fields:
        h.update(name.encode())
        if isinstance(value, np.ndarray):
            h.update(f"{value.dtype.str}{value.shape}".encode())
            h.update(np.ascontiguousarray(value).tobytes())
        else:
            h.update(repr(value).encode())
    return h.hexdigest()


def _check(fingerprint_value, record):
    body = json.dumps({k: v for k, v in record.items() if k != "check"}, sort_keys=True, separators=(",", ":"))
    return f"{zlib.crc32((fingerprint_value + body).encode()):08x}"


def _line(fingerprint_value, record):
    record = dict(record)
    record["check"] = _check(fingerprint_value, record)
    return json.dumps(record, separators=(",", ":")) + "\n"


class Checkpoint:
    """An open checkpoint file. ``finished`` maps subproblem ids to their records (read back on resume);
    ``header`` is None until :meth:`start` writes it for a new run."""

    def __init__(self, path, fingerprint_value, describe):
        self.path = os.fspath(path)
        self.fingerprint = fingerprint_value
        self.describe = describe  # "problem Queens, strategy bitboard, goal count": for the error message
        self.header = None
        self.finished = {}
        self._file = None
        self._read()

    def _read(self):
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            data = b""
        lines = data.split(b"\n")
        torn = lines.pop()  # after the last newline: empty, or a line cut short by a crash
        keep = 0
        if lines:
            self.header = self._parse_header(lines[0])
            keep = len(lines[0]) + 1
            for number, raw in enumerate(lines[1:], start=2):
                record = self._parse_record(raw, number)
                self.finished.setdefault(record["id"], record)
                keep += len(raw) + 1
        elif torn:
            opening = b'{"format":"' + FORMAT.encode() + b'"'
            if not (torn.startswith(opening) or opening.startswith(torn)):
                raise CheckpointError(f"{self.path} is not a backtrack checkpoint")
        # Opened now, after every check: an unwritable place is refused before any search runs.
        self._file = open(self.path, "ab")  # noqa: SIM115 (held open for the run, closed by close())
        if torn:  # drop the line a crash cut short; its subproblem is searched again
            self._file.truncate(keep)
            self._file.flush()

    def _parse_header(self, raw):
        try:
            header = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise CheckpointError(f"{self.path} is not a backtrack checkpoint")
        if header.get("version") != VERSION or header.get("check") != _check(header.get("fingerprint", ""), header):
            raise CheckpointError(f"{self.path}: the checkpoint's header is damaged")
        if header["fingerprint"] != self.fingerprint:
            raise CheckpointError(
                f"{self.path} is the checkpoint of another run ({header.get('describe', '?')}), not of this one "
                f"({self.describe}): give another file"
            )
        return header

    def _parse_record(self, raw, number):
        try:
            record = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            record = None
        subproblems = self.header["subproblems"]
        if (
            not isinstance(record, dict)
            or record.get("check") != _check(self.fingerprint, record)
            or not isinstance(record.get("id"), int)
            or not 0 <= record["id"] < len(subproblems)
            or record.get("prefix") != subproblems[record["id"]]
        ):
            raise CheckpointError(f"{self.path}: line {number} is damaged")
        return record

    def start(self, decomposition, extra):
        """Write the header of a new run: the decomposition's subproblems and ``extra`` figures."""
        header = {
            "format": FORMAT,
            "version": VERSION,
            "fingerprint": self.fingerprint,
            "describe": self.describe,
            "subproblems": [[list(d) for d in s.prefix] for s in decomposition.subproblems],
            **extra,
        }
        self._write(_line(self.fingerprint, header))
        self.header = json.loads(_line(self.fingerprint, header))

    def record(self, subproblem, figures):
        """Append the record of a finished subproblem and flush it to disk."""
        record = {"id": subproblem.id, "prefix": [list(d) for d in subproblem.prefix], **figures}
        self._write(_line(self.fingerprint, record))
        self.finished[subproblem.id] = record

    def _write(self, text):
        self._file.write(text.encode())
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None
